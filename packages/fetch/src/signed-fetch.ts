/** `createSignedFetch`: a drop-in `fetch` that signs every request it sends. */
import { createSchemeSigner, createSigner, type SignatureScheme } from '@httpsig/core';
import { type Outgoing, prepare, type SignStep, signOutgoing } from './outgoing';
import { followUp, isRedirect } from './redirects';
import { verifyResponse } from './response-signature';
import { redirectsAreVisible } from './runtime';
import { responseRefusesScheme } from './schemes';
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
  const schemes = createSchemeSigner(options);
  const signer = createSigner(options);
  const stepFor =
    (scheme: SignatureScheme): SignStep =>
    (message) =>
      schemes.sign(scheme, message);
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

    let origin = new URL(outgoing.request.url).origin;
    let scheme = schemes.first(origin);
    // Only double-knock gets a second knock, and only one.
    let knocked = schemes.mode !== 'double-knock';
    let { request: sent, response } = await transmit(stepFor(scheme));
    let challenged = false;
    let redirects = 0;
    while (true) {
      const acceptSignature = response.headers.get('accept-signature');
      if (
        options.fulfilAcceptSignature &&
        scheme === 'rfc9421' &&
        !challenged &&
        isChallenge(response) &&
        acceptSignature
      ) {
        challenged = true;
        await discard(response);
        ({ request: sent, response } = await transmit((message) => signer.fulfil(message, acceptSignature)));
      } else if (!knocked && (await responseRefusesScheme(response))) {
        knocked = true;
        scheme = schemes.retry(scheme) ?? scheme;
        await discard(response);
        // The body bytes were buffered by prepare(), so the request can be sent again.
        ({ request: sent, response } = await transmit(stepFor(scheme)));
      } else if (follow && isRedirect(response)) {
        if (++redirects > maxRedirects) {
          await discard(response);
          throw new TypeError(`fetch: more than ${maxRedirects} redirects`);
        }
        outgoing = followUp(outgoing, response);
        origin = new URL(outgoing.request.url).origin;
        await discard(response);
        ({ request: sent, response } = await transmit(stepFor(scheme)));
      } else {
        break;
      }
    }
    if (schemes.mode === 'double-knock' && !(await responseRefusesScheme(response))) {
      schemes.learn(origin, scheme);
    }
    if (options.verifyResponse) await verifyResponse(response, sent, options.verifyResponse);
    return response;
  };
}
