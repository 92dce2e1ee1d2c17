/** `httpsig digest`: the Content-Digest (or Repr-Digest) value of a body, RFC 9530. */
import { parseArgs } from 'node:util';
import { createDigestField, defaultMaxBodySize, verifyDigestField } from '@httpsig/core';
import { bodyOptions, commonOptions, parseByteCount, parseDigestAlgorithms, withUsage } from '../args';
import { UsageError } from '../errors';
import { type CliIO, openInputStream } from '../io';

export const digestUsage = `Usage: httpsig digest [--alg sha-256|sha-512]... [--repr] [--max-body-size BYTES]
                     [--verify VALUE] [FILE]

Print the Content-Digest field value (RFC 9530) of the bytes of FILE (or stdin), followed by one
newline, e.g. sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:
The bytes are hashed as they are read, exactly as given: pass the body as sent (after any
content coding, without chunked framing).

Options:
  --alg ALG             sha-256 (the default) or sha-512; give --alg twice, or sha-256,sha-512,
                        for a value with both
  --repr                the bytes are the whole representation, so the value is for Repr-Digest
                        (same syntax and hashing; only the field named in reports changes)
  --verify VALUE        check VALUE against the bytes instead of printing a digest: print
                        "verified FIELD (ALGS)", or fail with ERR_HTTPSIG_DIGEST_MISMATCH
  --max-body-size N     refuse more than N bytes of input (default ${defaultMaxBodySize})
  -h, --help            show this help
`;

export async function digest(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = withUsage('digest', () =>
    parseArgs({
      args: [...argv],
      options: {
        ...commonOptions,
        ...bodyOptions,
        alg: { type: 'string', multiple: true },
        repr: { type: 'boolean' },
        verify: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (values.help) {
    io.stdout.write(digestUsage);
    return 0;
  }
  if (positionals.length > 1) {
    throw new UsageError(`Expected at most one FILE, got ${positionals.length} arguments`, 'digest');
  }
  const algorithms = parseDigestAlgorithms('digest', values.alg ?? [], '--alg');
  const maxBodySize = parseByteCount('digest', values['max-body-size'], '--max-body-size');
  if (values.verify !== undefined && algorithms.length > 0) {
    throw new UsageError('--alg cannot be combined with --verify (the value names its algorithms)', 'digest');
  }
  const field = values.repr ? 'repr-digest' : 'content-digest';
  const limit = maxBodySize === undefined ? {} : { maxBodySize };

  const body = await openInputStream(io, positionals[0], 'digest', 'body');
  if (values.verify !== undefined) {
    const verified = await verifyDigestField(values.verify, body, { field, ...limit });
    io.stdout.write(`verified ${verified.field} (${verified.algorithms.join(', ')})\n`);
    return 0;
  }
  const value = await createDigestField(body, {
    ...(algorithms.length === 0 ? {} : { algorithm: algorithms }),
    ...limit,
  });
  io.stdout.write(`${value}\n`);
  return 0;
}
