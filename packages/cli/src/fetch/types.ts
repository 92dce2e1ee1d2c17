import type { SignerOptions } from '@httpsig/core';

/** The request `httpsig fetch` was asked to send, before signing. */
export interface OutgoingRequest {
  readonly url: string;
  readonly method: string;
  /** Field lines in the order given with -H. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array | undefined;
}

/** A response as received, with the request fields that were actually sent (for `;req`). */
export interface ExchangeResult {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
  /** The field lines of the signed request as it went out. */
  readonly sentHeaders: readonly (readonly [string, string])[];
}

/** How to sign: the signer options and the scheme (draft-cavage, double-knock). */
export type ClientSigning = SignerOptions & { readonly scheme?: 'rfc9421' | 'cavage' | 'double-knock' };

/** One client stack: sends the request through its adapter, which signs it. */
export type SigningClient = (request: OutgoingRequest, signing: ClientSigning) => Promise<ExchangeResult>;
