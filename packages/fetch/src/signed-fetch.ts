/** `createSignedFetch`: a drop-in `fetch` that signs every request it sends. */
import { type CavageSignOptions, createSigner, type HttpMessage, signCavage } from '@httpsig/core';
import { type Outgoing, prepare, type SignStep, signOutgoing } from './outgoing';
import { followUp, isRedirect } from './redirects';
import { verifyResponse } from './response-signature';
import { redirectsAreVisible } from './runtime';
import { refusesScheme, SchemeLru, type SignatureScheme } from './schemes';
import type { Fetch, SignedFetchOptions } from './types';

/** Read and drop a response we do not return, so its connection can be reused. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function isChallenge(response: Response): boolean {
  return response.status === 401 && response.headers.has('accept-signature');
}

const modes = ['rfc9421', 'cavage', 'double-knock'] as const;

/** The draft-cavage signing step: `options.cavage` over the key and keyid of the RFC 9421 options. */
function cavageSigner(options: SignedFetchOptions): SignStep {
  const { cavage = {} } = options;
  return (message: HttpMessage) => {
    const key = cavage.key ?? options.key;
    if (key === undefined) throw new TypeError("scheme 'cavage' needs a key (options.key or cavage.key)");
    const keyId = cavage.keyId ?? options.keyid ?? key.keyid;
    const maxBodySize = cavage.maxBodySize ?? options.maxBodySize;
    const signOptions: CavageSignOptions = {
      ...cavage,
      key,
      ...(keyId === undefined ? {} : { keyId }),
      ...(maxBodySize === undefined ? {} : { maxBodySize }),
    };
    if (cavage.headers === undefined && !redirectsAreVisible()) {
      // Browsers drop a Date header set by script, so a signed date would not reach the server.
      const withDigest = message.body !== undefined && cavage.digest !== false;
      signOptions.headers = ['(request-target)', 'host', ...(withDigest ? ['digest'] : [])];
    }
    return signCavage(message, signOptions);
  };
}

/**
 * A function with the exact `fetch` signature that signs each request as it will be sent: the
 * URL fetch resolves and the body bytes it serializes (FormData boundary included), bound by a
 * covered `Content-Digest`.
 */
export function createSignedFetch(options: SignedFetchOptions): Fetch {
  const knockMode = options.scheme ?? 'rfc9421';
  if (!modes.includes(knockMode)) throw new TypeError("scheme must be 'rfc9421', 'cavage' or 'double-knock'");
  // The RFC 9421 signer is built even for 'cavage': it checks the key options up front.
  const signer = createSigner(options);
  const cavage = cavageSigner(options);
  const stepFor = (scheme: SignatureScheme): SignStep => (scheme === 'cavage' ? cavage : signer);
  const remembered = new SchemeLru();
  const recall = (origin: string): SignatureScheme | undefined => {
    const known = remembered.get(origin) ?? options.schemeMemory?.get(origin);
    if (known !== undefined) remembered.set(origin, known);
    return known;
  };
  const learn = (origin: string, scheme: SignatureScheme, previous: SignatureScheme | undefined) => {
    remembered.set(origin, scheme);
    if (scheme !== previous) options.schemeMemory?.set(origin, scheme);
  };
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

    const firstOrigin = new URL(outgoing.request.url).origin;
    let origin = firstOrigin;
    const known = knockMode === 'double-knock' ? recall(origin) : undefined;
    let scheme: SignatureScheme = knockMode === 'double-knock' ? (known ?? 'rfc9421') : knockMode;
    // Only double-knock gets a second knock, and only one.
    let knocked = knockMode !== 'double-knock';
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
      } else if (!knocked && (await refusesScheme(response))) {
        knocked = true;
        scheme = scheme === 'rfc9421' ? 'cavage' : 'rfc9421';
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
    if (knockMode === 'double-knock' && !(await refusesScheme(response))) {
      // After a redirect to another origin, nothing was known about the final one.
      learn(origin, scheme, origin === firstOrigin ? known : undefined);
    }
    if (options.verifyResponse) await verifyResponse(response, sent, options.verifyResponse);
    return response;
  };
}
