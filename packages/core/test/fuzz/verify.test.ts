/**
 * Fuzzing the verifiers with signed messages changed in small ways: any change ends in an
 * `HttpSigError`, and a message that is still accepted has exactly the signature base that was
 * signed (a change the signature cannot see must be one normalization undoes).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { signCavage, signMessage, verifyCavage, verifyMessage } from '../../src/index';
import type { RequestLike } from '../../src/message/types';
import { keyOf, loadTestKeys, type TestKeys } from '../conformance/lib/messages';
import { applyEdits, fuzzParameters, hostileText, onlyHttpSigErrors } from './lib';

const NOW = 1_700_000_000;
const ED = 'test-key-ed25519';
const HMAC = 'test-shared-secret';

let keys: TestKeys;
const signed: { message: RequestLike; base: string }[] = [];
let cavage: RequestLike;

const unsigned: RequestLike = {
  method: 'POST',
  url: 'https://api.example.com/items?q=1&pay%20to=bob',
  headers: {
    'content-type': 'application/json',
    'x-dict': 'a=1, b=(x y);z',
    date: 'Tue, 14 Nov 2023 22:13:20 GMT',
    host: 'api.example.com',
  },
  body: '{"n":1}',
};

beforeAll(async () => {
  keys = await loadTestKeys();
  for (const keyid of [ED, HMAC]) {
    const result = await signMessage(unsigned, {
      key: keyOf(keys.private, keyid),
      components: [
        '@method',
        '@target-uri',
        '"@query-param";name="pay%20to"',
        'content-type',
        'x-dict;key="b"',
        'content-digest',
      ],
      params: { created: NOW, keyid, nonce: 'n1' },
      fieldTypes: { 'x-dict': 'dictionary' },
    });
    signed.push({
      message: { ...unsigned, headers: { ...(unsigned.headers as object), ...result.headers } },
      base: result.base,
    });
  }
  const result = await signCavage(unsigned, {
    key: keyOf(keys.private, ED),
    keyId: 'https://example.com/actor#main-key',
    headers: ['(request-target)', 'host', 'date', 'digest'],
  });
  cavage = { ...unsigned, headers: { ...(unsigned.headers as object), ...result.headers } };
});

const edits = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 4 }), insert: hostileText(3) }), {
  minLength: 1,
  maxLength: 3,
});

const parts = [
  'signature-input',
  'signature',
  'content-digest',
  'content-type',
  'x-dict',
  'url',
  'method',
  'body',
] as const;

function change(
  message: RequestLike,
  part: (typeof parts)[number],
  edit: Parameters<typeof applyEdits>[1],
): RequestLike {
  if (part === 'url') return { ...message, url: applyEdits(String(message.url), edit) };
  if (part === 'method') return { ...message, method: applyEdits(message.method, edit) };
  if (part === 'body') return { ...message, body: applyEdits(String(message.body), edit) };
  const headers = { ...(message.headers as Record<string, string>) };
  headers[part] = applyEdits(headers[part] ?? '', edit);
  return { ...message, headers };
}

describe('verifyMessage on changed messages', () => {
  it('refused with an HttpSigError, or accepted over the very base that was signed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 1 }), fc.constantFrom(...parts), edits, async (which, part, edit) => {
        const original = signed[which] as { message: RequestLike; base: string };
        const message = change(original.message, part, edit);
        let base: string | undefined;
        const outcome = await onlyHttpSigErrors(
          async () => {
            base = (
              await verifyMessage(message, {
                keys: keys.public,
                requiredComponents: ['@method', '@target-uri'],
                now: NOW,
                fieldTypes: { 'x-dict': 'dictionary' },
              })
            ).base;
          },
          { allowTypeError: part === 'url' },
        );
        if (outcome === 'ok') expect(base).toBe(original.base);
      }),
      fuzzParameters(300),
    );
  });
});

describe('verifyCavage on changed messages', () => {
  it('refused with an HttpSigError, or accepted', async () => {
    const cavageParts = ['signature', 'date', 'host', 'digest', 'url', 'method', 'body'] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cavageParts), edits, async (part, edit) => {
        const message = change(cavage, part as (typeof parts)[number], edit);
        await onlyHttpSigErrors(
          () =>
            verifyCavage(message, {
              keys: { 'https://example.com/actor#main-key': keyOf(keys.public, ED) },
              now: NOW,
              maxAge: 1e9,
            }),
          { allowTypeError: part === 'url' },
        );
      }),
      fuzzParameters(300),
    );
  });
});
