/** Assertions shared by the key tests. Web APIs only. */
import { type HttpSigError, type HttpSigErrorCode, isHttpSigError } from '../../../src/errors';

/** A copy of `bytes` with one bit flipped at `index`. */
export function flipped(bytes: Uint8Array, index = 0): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes);
  copy[index] = (copy[index] as number) ^ 0x01;
  return copy;
}

/** Await `promise` and expect it to reject with an `HttpSigError` of `code`, which is returned. */
export async function rejects(promise: Promise<unknown>, code: HttpSigErrorCode): Promise<HttpSigError> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  if (error === undefined) throw new Error(`expected ${code}, but it resolved`);
  if (!isHttpSigError(error, code)) throw new Error(`expected ${code}, got ${String(error)}`);
  return error;
}
