/**
 * Fuzzing component derivation: arbitrary component identifiers over arbitrary messages
 * (target URIs, field values, trailers, related requests) give a signature base or an
 * `HttpSigError`, and `TypeError` only for a malformed call.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { identifierFromInput } from '../../src/components/identifier';
import { queryParamValues } from '../../src/components/query-param';
import { createSignatureBase } from '../../src/index';
import type { RequestLike, ResponseLike } from '../../src/message/types';
import {
  expectAllowed,
  fieldValue,
  fuzzParameters,
  hostileText,
  onlyHttpSigErrors,
  regressions,
} from './lib';

const componentSeeds = [
  '@method',
  '@target-uri',
  '@authority',
  '@scheme',
  '@request-target',
  '@path',
  '@query',
  '"@query-param";name="q"',
  '"@query-param";name="a%20b"',
  '@status',
  '"@status";req',
  '"@method";req',
  'content-type',
  '"example-dict";sf',
  '"example-dict";key="a"',
  '"example-dict";bs',
  '"x-trailer";tr',
  '"content-digest";req',
  'signature;key="sig1"',
  '"@signature-params"',
];

const urls = fc.oneof(
  fc.constantFrom(
    'https://example.com/',
    'https://example.com/p?q=1&a%20b=2&a+b=3&q',
    'http://[::1]:8080/x?%zz=%',
    'https://user:pass@example.com:443/%2e%2e/?=&&=',
  ),
  hostileText(40).map((tail) => `https://example.com/${tail}`),
);

const headers = fc.dictionary(
  fc.constantFrom('content-type', 'example-dict', 'x-trailer', 'signature', 'content-digest', 'X-Mixed'),
  fieldValue(['a=1, b=(x y);z, c', '"text"', 'sig1=:AAAA:', 'sha-256=:AAAA:', 'text/plain']),
  { maxKeys: 4 },
);

const request: fc.Arbitrary<RequestLike> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'get', 'M\u00e9THOD', ''),
  url: urls,
  headers,
  trailers: fc.option(headers, { nil: undefined }),
});

const message: fc.Arbitrary<RequestLike | ResponseLike> = fc.oneof(
  request,
  fc.record({
    status: fc.oneof(fc.constantFrom(200, 204, 404), fc.integer()),
    headers,
    request: fc.option(request, { nil: undefined }),
  }),
);

const componentList = fc.array(fc.oneof(fc.constantFrom(...componentSeeds), fieldValue(componentSeeds)), {
  maxLength: 6,
});

describe('component derivation', () => {
  it('createSignatureBase: a base or an HttpSigError for any components over any message', async () => {
    await fc.assert(
      fc.asyncProperty(message, componentList, async (msg, components) => {
        const outcome = await onlyHttpSigErrors(
          () => createSignatureBase(msg, { components, fieldTypes: { 'example-dict': 'dictionary' } }),
          { allowTypeError: true },
        );
        expectAllowed(outcome);
      }),
      fuzzParameters(400),
    );
  });

  it('@query-param values: any query and name, never an exception', () => {
    fc.assert(
      fc.property(hostileText(80), hostileText(10), (query, name) => {
        queryParamValues(query, name);
      }),
      fuzzParameters(400),
    );
  });

  it('kept regressions', async () => {
    for (const component of regressions.component ?? []) {
      expectAllowed(await onlyHttpSigErrors(() => identifierFromInput(component)));
      expectAllowed(
        await onlyHttpSigErrors(() =>
          createSignatureBase(
            { method: 'GET', url: 'https://example.com/?%=1&%zz%=2', headers: { x: 'a=1' } },
            { components: [component], fieldTypes: { x: 'dictionary' } },
          ),
        ),
      );
    }
  });
});
