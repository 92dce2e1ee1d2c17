/**
 * Fuzzing the CLI's raw HTTP/1.1 message parser (packages/cli/src/http): any bytes give a
 * parsed message or a CliError, and a parsed message converts to a core message that the
 * verifier refuses with an HttpSigError or accepts.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CliError } from '../../../cli/src/errors';
import { type ParsedHttpMessage, parseHttpMessage, toCoreMessage } from '../../../cli/src/http/parse-message';
import { verifyMessage } from '../../src/index';
import { expectAllowed, fuzzParameters, mutated, onlyHttpSigErrors, regressions } from './lib';

const messageSeeds = [
  'POST /foo?param=Value&Pet=dog HTTP/1.1\r\nHost: example.com\r\nDate: Tue, 20 Apr 2021 02:07:55 GMT\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{"hello": "world"}',
  'GET / HTTP/1.1\nHost: example.com\nX-Folded: a,\n  b\n\n',
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n',
  'PUT http://example.com:8080/a%20b HTTP/1.1\r\nSignature-Input: sig1=("@method");created=1\r\nSignature: sig1=:AAAA:\r\n\r\n',
];

const cliOrSig = (error: unknown) => error instanceof CliError;

function convert(parsed: ParsedHttpMessage) {
  return toCoreMessage(parsed, { scheme: 'https' });
}

async function parseAndVerify(text: string, binary = false): Promise<void> {
  const bytes = binary
    ? Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)
    : new TextEncoder().encode(text);
  const parsed = parseHttpMessage(bytes);
  const message = convert(parsed);
  await verifyMessage(message, { keys: {}, requiredComponents: [], requireCreated: false });
}

describe('raw HTTP message parser', () => {
  it('any text: a message or a CliError; verification of it: an HttpSigError', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(messageSeeds), fc.boolean(), async (text, binary) => {
        expectAllowed(await onlyHttpSigErrors(() => parseAndVerify(text, binary), { allow: cliOrSig }));
      }),
      fuzzParameters(400),
    );
  });

  it('any bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        expectAllowed(await onlyHttpSigErrors(() => convert(parseHttpMessage(bytes)), { allow: cliOrSig }));
      }),
      fuzzParameters(300),
    );
  });

  it('kept regressions', async () => {
    for (const text of regressions['http-message'] ?? []) {
      expectAllowed(await onlyHttpSigErrors(() => parseAndVerify(text), { allow: cliOrSig }));
    }
  });
});
