/**
 * Key files → library keys. Accepted: PEM (PKCS#8, PKCS#1, SPKI, SEC1), a JWK or a JWK Set with
 * one key (or one whose `kid` is the given keyid), raw DER, and for `hmac-sha256` a file holding
 * the base64 secret or an `oct` JWK.
 */
import { type Algorithm, HttpSigError, type HttpSigKey, importKey } from '@httpsig/core';
import { CliError } from '../errors';
import { type CliIO, readBytes } from '../io';

export interface LoadKeyOptions {
  alg: Algorithm;
  /** `sign` needs the private key or secret; `verify` uses the public half of a private key. */
  purpose: 'sign' | 'verify';
  keyid?: string;
  /** Accept RSA keys under 2048 bits and HMAC secrets under 32 bytes. */
  allowWeakKey?: boolean;
}

export async function loadKey(io: CliIO, path: string, options: LoadKeyOptions): Promise<HttpSigKey> {
  const bytes = await readBytes(io, path, 'key file');
  const material = keyMaterial(bytes, path, options);
  const key = await importKey(material, {
    alg: options.alg,
    allowWeakKey: options.allowWeakKey === true,
    ...(options.keyid === undefined ? {} : { keyid: options.keyid }),
    ...(options.purpose === 'verify' && options.alg !== 'hmac-sha256' ? { use: 'public' as const } : {}),
  });
  if (options.purpose === 'sign' && !key.canSign) {
    throw new HttpSigError(
      'ERR_HTTPSIG_INVALID_KEY',
      `The key in ${path} is a public key; signing needs the private key`,
    );
  }
  return key;
}

function keyMaterial(bytes: Buffer, path: string, options: LoadKeyOptions): string | JsonWebKey | Uint8Array {
  const text = bytes.toString('utf8').trim();
  if (text.startsWith('{')) return jwkFrom(text, path, options.keyid);
  if (options.alg === 'hmac-sha256') {
    if (text === '') throw new CliError('ERR_HTTPSIG_CLI_INPUT', `The key file ${path} is empty`);
    return text;
  }
  if (text.includes('-----BEGIN ')) return text;
  if (bytes.length === 0) throw new CliError('ERR_HTTPSIG_CLI_INPUT', `The key file ${path} is empty`);
  // Anything else is taken as DER (PKCS#8 or SPKI); the library says when it is not.
  return new Uint8Array(bytes);
}

function jwkFrom(text: string, path: string, keyid: string | undefined): JsonWebKey {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(
      'ERR_HTTPSIG_CLI_INPUT',
      `The key file ${path} starts like JSON but is not valid JSON`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError('ERR_HTTPSIG_CLI_INPUT', `The key file ${path} does not hold a JWK object`);
  }
  const keys = (value as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) return value as JsonWebKey;
  // A JWK Set: take the key with the requested kid, or the only key.
  const candidates = keyid === undefined ? keys : keys.filter((k) => (k as { kid?: unknown })?.kid === keyid);
  if (candidates.length !== 1 || typeof candidates[0] !== 'object' || candidates[0] === null) {
    throw new CliError(
      'ERR_HTTPSIG_CLI_INPUT',
      keyid === undefined
        ? `The JWK Set in ${path} holds ${keys.length} keys; pick one with --keyid`
        : `The JWK Set in ${path} has no single key with kid "${keyid}"`,
    );
  }
  return candidates[0] as JsonWebKey;
}
