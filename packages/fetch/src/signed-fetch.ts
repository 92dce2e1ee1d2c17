/** `createSignedFetch`: a drop-in `fetch` that signs every request it sends. */
import { createSigner } from '@httpsig/core';
import { type Outgoing, prepare, type SignStep, signOutgoing } from './outgoing';
import { followUp, isRedirect } from './redirects';
import { verifyResponse } from './response-signature';
import { redirectsAreVisible } from './runtime';
import type { Fetch, SignedFetchOptions } from './types';

/** Read and drop a response we do not return, so its connection can be reused. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function isChallenge(response: Response): boolean {
  return response.status === 401 && response.headers.has('accept-signature');
}

/**
 * A function with the exact `fetch` signature that signs each request as it will be sent: the
 * URL fetch resolves and the body bytes it serializes (FormData boundary included), bound by a
 * covered `Content-Digest`.
 */
export function createSignedFetch(options: SignedFetchOptions): Fetch {
  const signer = createSigner(options);
  const maxRedirects = options.maxRedirects ?? 20;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) {
    throw new TypeError('maxRedirects must be a non-negative integer');
  }

  return async function signedFetch(input, init) {
    const send = options.fetch ?? globalThis.fetch;
    let outgoing: Outgoing = await prepare(input, init, options.maxBodySize);
    const follow =
      outgoing.request.redirect === 'follow' && options.resignRedirects !== false && redirectsAreVisible();
    const mode: RequestRedirect = follow ? 'manual' : outgoing.request.redirect;
    const transmit = async (step: SignStep) => {
      const request = await signOutgoing(outgoing, step, mode);
      return { request, response: await send(request) };
    };

    let { request: sent, response } = await transmit(signer);
    let challenged = false;
    let redirects = 0;
    while (true) {
      const acceptSignature = response.headers.get('accept-signature');
      if (options.fulfilAcceptSignature && !challenged && isChallenge(response) && acceptSignature) {
        challenged = true;
        await discard(response);
        ({ request: sent, response } = await transmit((message) => signer.fulfil(message, acceptSignature)));
      } else if (follow && isRedirect(response)) {
        if (++redirects > maxRedirects) {
          await discard(response);
          throw new TypeError(`fetch: more than ${maxRedirects} redirects`);
        }
        outgoing = followUp(outgoing, response);
        await discard(response);
        ({ request: sent, response } = await transmit(signer));
      } else {
        break;
      }
    }
    if (options.verifyResponse) await verifyResponse(response, sent, options.verifyResponse);
    return response;
  };
}
