/**
 * Field bytes above 0x7F. The Fetch standard reads each field byte as one character (Latin-1),
 * so `;bs` (RFC 9421 §2.1.3) signs and verifies exactly the bytes on the wire. workerd instead
 * decodes field bytes as UTF-8: C3 A9 arrives as the one character U+00E9, and invalid UTF-8 as
 * U+FFFD, so the bytes the signature covered cannot be recovered and the check fails there.
 */
import { assertSame } from '../harness.js';

const utf8Decoding = {
  runtimes: ['workerd'],
  reason: 'workerd decodes field bytes as UTF-8 (C3 A9 reads as "\\u00e9"), not one character per byte',
};

export function quirkCases(t, { core, quirksOrigin, keys }) {
  t.quirk(
    'field bytes: C3 A9 in a response field read as two characters',
    utf8Decoding,
    async () => {
      const response = await fetch(`${quirksOrigin}/field-bytes`);
      await response.body?.cancel();
      const value = response.headers.get('x-name') ?? '';
      assertSame(
        [...value].map((c) => c.charCodeAt(0)),
        [0xc3, 0xa9],
        'character codes of x-name',
      );
    },
    { requires: ['quirk-server'] },
  );

  t.quirk(
    'field bytes: a ;bs signature over non-ASCII field bytes verifies',
    utf8Decoding,
    async () => {
      const response = await fetch(`${quirksOrigin}/field-bytes`);
      await core.verifyMessage(response, {
        keys: { 'test-key-ed25519': keys().public['test-key-ed25519'] },
        requiredComponents: ['"x-name";bs'],
      });
    },
    { requires: ['quirk-server', 'webcrypto:ed25519'] },
  );
}
