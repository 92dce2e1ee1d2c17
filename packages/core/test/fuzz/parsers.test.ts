/**
 * Fuzzing the parsers an attacker reaches first: structured fields (RFC 9651) and the
 * Signature-Input / Signature fields. Any input ends in a value or an `HttpSigError`; a value
 * serializes and parses back to itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSignatureFields } from '../../src/base/signature-fields';
import { parseSignatureInput } from '../../src/index';
import { normalizeMessage } from '../../src/message/normalize';
import {
  parseDictionary,
  parseItem,
  parseList,
  serializeDictionary,
  serializeItem,
  serializeList,
} from '../../src/sfv/index';
import {
  expectAllowed,
  fieldValue,
  fuzzParameters,
  onlyHttpSigErrors,
  regressions,
  signatureFieldSeeds,
  structuredFieldSeeds,
} from './lib';

const parsers = [
  ['dictionary', parseDictionary, (v: ReturnType<typeof parseDictionary>) => serializeDictionary(v)],
  ['list', parseList, (v: ReturnType<typeof parseList>) => serializeList(v)],
  ['item', parseItem, (v: ReturnType<typeof parseItem>) => serializeItem(v)],
] as const;

function roundTrip(kind: (typeof parsers)[number][0], input: string): void {
  for (const [name, parse, serialize] of parsers) {
    if (name !== kind) continue;
    let parsed: unknown;
    try {
      parsed = parse(input, 'fuzz');
    } catch {
      return;
    }
    // What parses must serialize, and the serialization must parse to the same serialization.
    const once = (serialize as (v: unknown) => string)(parsed);
    const twice = (serialize as (v: unknown) => string)(parse(once, 'fuzz'));
    expect(twice).toBe(once);
  }
}

describe('structured-field parser', () => {
  for (const [name, parse] of parsers) {
    it(`${name}: any input parses or is refused with ERR_HTTPSIG_PARSE`, async () => {
      await fc.assert(
        fc.asyncProperty(fieldValue(structuredFieldSeeds), async (input) => {
          expectAllowed(await onlyHttpSigErrors(() => parse(input, 'fuzz')));
        }),
        fuzzParameters(300),
      );
    });

    it(`${name}: what parses round-trips through serialization`, () => {
      fc.assert(
        fc.property(fieldValue(structuredFieldSeeds), (input) => roundTrip(name, input)),
        fuzzParameters(300),
      );
    });
  }

  it('kept regressions', async () => {
    for (const input of regressions['structured-field'] ?? []) {
      for (const [name, parse] of parsers) {
        expectAllowed(await onlyHttpSigErrors(() => parse(input, 'fuzz')));
        roundTrip(name, input);
      }
    }
  });
});

describe('Signature-Input and Signature', () => {
  function readBoth(input: string, signature: string) {
    const message = normalizeMessage({
      method: 'GET',
      url: 'https://example.com/',
      headers: [
        ['signature-input', input],
        ['signature', signature],
      ],
    });
    return readSignatureFields(message);
  }

  it('parseSignatureInput: members or an HttpSigError', async () => {
    await fc.assert(
      fc.asyncProperty(fieldValue(signatureFieldSeeds), async (input) => {
        const outcome = await onlyHttpSigErrors(() => {
          for (const member of parseSignatureInput(input)) {
            expect(typeof member.label).toBe('string');
            for (const component of member.components) expect(typeof component).toBe('string');
          }
        });
        expectAllowed(outcome);
      }),
      fuzzParameters(500),
    );
  });

  it('both fields of a message, as verification reads them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fieldValue(signatureFieldSeeds),
        fieldValue(signatureFieldSeeds),
        async (input, signature) => {
          expectAllowed(await onlyHttpSigErrors(() => readBoth(input, signature)));
        },
      ),
      fuzzParameters(300),
    );
  });

  it('kept regressions', async () => {
    for (const input of regressions['signature-field'] ?? []) {
      expectAllowed(await onlyHttpSigErrors(() => parseSignatureInput(input)));
      expectAllowed(await onlyHttpSigErrors(() => readBoth(input, input)));
    }
  });
});
