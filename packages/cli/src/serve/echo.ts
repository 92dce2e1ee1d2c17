/** The echo answer every framework gives for a verified request. */
import type { VerifyResult } from '@httpsig/core';
import type { EchoBody } from './types';

export function echo(signature: VerifyResult, method: string, path: string, body: Uint8Array): EchoBody {
  return {
    verified: {
      label: signature.label,
      keyid: signature.keyid,
      alg: signature.alg,
      components: signature.components,
      params: signature.params,
    },
    method,
    path,
    body: new TextDecoder().decode(body),
  };
}
