/**
 * RFC 9421 field syntax examples: Signature-Input (§4.1), the @signature-params value (§2.3),
 * Signature (§4.2), Accept-Signature (§5.1) and Content-Digest in a base (§7.2.8).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createAcceptSignature,
  createSignatureBase,
  fulfilAcceptSignature,
  parseAcceptSignature,
  parseSignatureInput,
  verifyMessage,
} from '../../src/index';
import type { RequestLike } from '../../src/message/types';
import {
  expectHttpSigError,
  type FieldMember,
  fieldExample,
  keyOf,
  loadTestKeys,
  messageFrom,
  paramsOf,
  rejectionOf,
  type TestKeys,
  thrownBy,
  vectors,
  withHeader,
} from './lib/messages';

/**
 * A request invented for the syntax-only examples: RFC 9421's test request (Appendix B.2) plus a
 * Cache-Control field, which §2.3/§4.1/§5.1 cover but no printed message carries.
 */
function exampleRequest(): RequestLike {
  const parsed = vectors.messages['test-request']?.parsed;
  if (parsed === undefined) throw new Error('test-request missing');
  const request = messageFrom(parsed) as RequestLike;
  return withHeader(request, 'Cache-Control', 'max-age=60');
}

function entriesOf(member: { parameters?: { name: string; value: unknown }[] }) {
  return (member.parameters ?? []).map((p) => [p.name, p.value]);
}

let keys: TestKeys;
beforeAll(async () => {
  keys = await loadTestKeys();
});

describe('§4.1 Signature-Input', () => {
  const example = fieldExample('4.1');
  const members = example.members as FieldMember[];

  it('parses into label, covered components and ordered parameters', () => {
    const parsed = parseSignatureInput(example.value as string);
    expect(parsed.map((p) => p.label)).toEqual(members.map((m) => m.label));
    parsed.forEach((entry, i) => {
      const member = members[i] as FieldMember;
      expect(entry.components).toEqual(member.coveredComponents);
      expect(Object.entries(entry.params)).toEqual(entriesOf(member));
    });
  });

  it('rebuilds the @signature-params line from the field by label', () => {
    const message = withHeader(exampleRequest(), 'Signature-Input', example.value as string);
    const base = createSignatureBase(message, { label: 'sig1' });
    expect(base.split('\n').at(-1)).toBe(`"@signature-params": ${members[0]?.value}`);
    expect(base.split('\n')[1]).toBe('"@target-uri": https://example.com/foo?param=Value&Pet=dog');
  });

  it.each(vectors.signatures.map((v) => [v.id, v] as const))(
    'parses the Signature-Input of signature vector %s',
    (_id, v) => {
      const parsed = parseSignatureInput(v.signatureInputHeader);
      const entry = parsed.find((p) => p.label === v.label);
      expect(entry?.components).toEqual(v.coveredComponents);
      expect(Object.entries(entry?.params ?? {})).toEqual(
        v.signatureParameters.map((p) => [p.name, p.value]),
      );
      if (v.id === '4.3-proxy_sig') expect(parsed.map((p) => p.label)).toEqual(['sig1', 'proxy_sig']);
      else expect(parsed).toHaveLength(1);
    },
  );

  it.each([
    ['unterminated inner list', 'sig1=("@method"'],
    ['bare token as a component', 'sig1=("@method" @path)'],
    ['missing parameter value', 'sig1=("@method");created='],
    ['string instead of inner list', 'sig1="@method"'],
    ['integer instead of inner list', 'sig1=1'],
    ['upper-case label', 'Sig1=("@method")'],
    ['trailing comma', 'sig1=("@method"),'],
    ['non-ASCII', 'sig1=("@méthod")'],
  ])('rejects a malformed field (%s) with ERR_HTTPSIG_PARSE', (_what, value) => {
    expectHttpSigError(
      thrownBy(() => parseSignatureInput(value)),
      'ERR_HTTPSIG_PARSE',
    );
  });
});

describe('§2.3 the @signature-params value', () => {
  const example = fieldExample('2.3');
  const components = example.coveredComponents as string[];
  const params = paramsOf(example.parameters ?? []);

  it('is the last line of a base built from its components and parameters, in their order', () => {
    const base = createSignatureBase(exampleRequest(), { components, params });
    const lines = base.split('\n');
    expect(lines).toHaveLength(components.length + 1);
    expect(lines.at(-1)).toBe(`"@signature-params": ${example.value}`);
    expect(lines[0]).toBe('"@target-uri": https://example.com/foo?param=Value&Pet=dog');
    expect(lines[3]).toBe('"cache-control": max-age=60');
  });

  it('round-trips through Signature-Input', () => {
    const [entry] = parseSignatureInput(`sig1=${example.value}`);
    expect(entry?.components).toEqual(components);
    expect(Object.entries(entry?.params ?? {})).toEqual(entriesOf(example));
    const message = withHeader(exampleRequest(), 'Signature-Input', `sig1=${example.value}`);
    const base = createSignatureBase(message, { label: 'sig1' });
    expect(base.split('\n').at(-1)).toBe(`"@signature-params": ${example.value}`);
    expect(base).toBe(createSignatureBase(exampleRequest(), { components, params }));
  });
});

describe('§4.2 Signature', () => {
  const input = fieldExample('4.1').value as string;
  const signature = fieldExample('4.2');
  const member = signature.members?.[0] as FieldMember;
  const options = () => ({
    keys: keys.public,
    requiredComponents: fieldExample('4.1').members?.[0]?.coveredComponents ?? [],
    now: 1618884475,
  });

  it('holds a 256-byte RSA signature', () => {
    expect(signature.value).toBe(`${member.label}=:${member.byteSequenceBase64}:`);
    expect(atob(member.byteSequenceBase64 as string)).toHaveLength(member.length as number);
  });

  it('is parsed and reaches the cryptographic check (it signs no printed message, so it fails there)', async () => {
    const message = withHeader(
      withHeader(exampleRequest(), 'Signature-Input', input),
      'Signature',
      signature.value as string,
    );
    const error = await rejectionOf(verifyMessage(message, options()));
    expectHttpSigError(error, 'ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it.each([
    ['a token instead of a byte sequence', 'sig1=abc'],
    ['invalid base64', 'sig1=:***:'],
    ['an unterminated byte sequence', 'sig1=:AAAA'],
  ])('a Signature with %s is a parse error', async (_what, value) => {
    const message = withHeader(withHeader(exampleRequest(), 'Signature-Input', input), 'Signature', value);
    const error = await rejectionOf(verifyMessage(message, options()));
    expectHttpSigError(error, 'ERR_HTTPSIG_PARSE');
  });
});

describe('§5.1 Accept-Signature', () => {
  const example = fieldExample('5.1');
  const member = example.members?.[0] as FieldMember;

  it('parses into label, components and parameters (created as a bare true)', () => {
    const parsed = parseAcceptSignature(example.value as string);
    expect(parsed).toHaveLength(1);
    expect(parsed[0]?.label).toBe('sig1');
    expect(parsed[0]?.components).toEqual(member.coveredComponents);
    expect(Object.entries(parsed[0]?.params ?? {})).toEqual(entriesOf(member));
  });

  it('is created from the same description, byte for byte', () => {
    const value = createAcceptSignature([
      {
        label: member.label,
        components: member.coveredComponents as string[],
        params: paramsOf(member.parameters ?? []),
      },
    ]);
    expect(value).toBe(example.value);
  });

  it('round-trips parse → create', () => {
    expect(createAcceptSignature(parseAcceptSignature(example.value as string))).toBe(example.value);
  });

  it('is fulfilled with the requested components, keyid, created and tag, and the result verifies', async () => {
    const request = exampleRequest();
    const result = await fulfilAcceptSignature(request, example.value as string, {
      key: keyOf(keys.private, 'test-key-rsa-pss'),
      now: 1618884475,
    });
    expect(result.label).toBe('sig1');
    const [entry] = parseSignatureInput(result.signatureInput);
    expect(entry?.components).toEqual(member.coveredComponents);
    expect(entry?.params).toMatchObject({ keyid: 'test-key-rsa-pss', created: 1618884475, tag: 'app-123' });
    const verified = await verifyMessage(
      withHeader(
        withHeader(request, 'Signature-Input', result.signatureInput),
        'Signature',
        result.signature,
      ),
      {
        keys: keys.public,
        requiredComponents: member.coveredComponents ?? [],
        tag: 'app-123',
        now: 1618884475,
      },
    );
    expect(verified.tag).toBe('app-123');
  });
});

describe('§7.2.8 Content-Digest in a signature base', () => {
  const example = fieldExample('7.2.8');

  it('the content-digest line is the unfolded printed line', () => {
    const parsed = example.messageWithDigest?.parsed;
    if (parsed === undefined) throw new Error('7.2.8 message missing');
    const base = createSignatureBase(messageFrom(parsed), { components: ['"@status"', '"content-digest"'] });
    const lines = base.split('\n');
    expect(lines[0]).toBe('"@status": 200');
    expect(lines[1]).toBe(example.contentDigestLine);
  });

  it('the unsigned message has no content-digest to cover', () => {
    const parsed = example.unsignedMessage?.parsed;
    if (parsed === undefined) throw new Error('7.2.8 unsigned message missing');
    expectHttpSigError(
      thrownBy(() => createSignatureBase(messageFrom(parsed), { components: ['"content-digest"'] })),
      'ERR_HTTPSIG_MISSING_COMPONENT',
    );
  });
});
