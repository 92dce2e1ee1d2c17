/** The `Accept-Signature` a failure answers with: what this verifier wants signed (RFC 9421 §5). */
import { type ComponentInput, createAcceptSignature } from '@httpsig/core';

export function acceptSignatureHint(options: {
  readonly components: readonly ComponentInput[];
  readonly tag: string | readonly string[] | undefined;
  readonly nonce: boolean;
  readonly digest: boolean;
  readonly expires: boolean;
}): string {
  const components = [...options.components];
  if (options.digest && !components.includes('content-digest')) components.push('content-digest');
  const tag = typeof options.tag === 'string' ? options.tag : options.tag?.[0];
  return createAcceptSignature([
    {
      label: 'sig1',
      components,
      params: {
        created: true,
        ...(options.expires ? { expires: true } : {}),
        ...(options.nonce ? { nonce: true } : {}),
        keyid: true,
        ...(tag === undefined ? {} : { tag }),
      },
    },
  ]);
}
