import { describe, expect, it } from 'vitest';
import { run, signatureVector, signatureVectors, tempDir, toCrlf, writeMessage } from './helpers';

const dir = tempDir();

function files(id: string, raw: string, related?: string): string[] {
  const name = id.replace(/[^a-z0-9.-]/gi, '_');
  const args = [writeMessage(dir, `${name}.http`, raw)];
  if (related !== undefined) args.unshift('--request', writeMessage(dir, `${name}.request.http`, related));
  return args;
}

describe('httpsig base --label', () => {
  it.each(signatureVectors.map((v) => [v.id, v] as const))(
    'reproduces the signature base of vector %s exactly',
    async (id, vector) => {
      const result = await run([
        'base',
        '--label',
        vector.label,
        ...files(id, vector.signedMessage.raw, vector.relatedRequest?.raw),
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${vector.signatureBase}\n`);
    },
  );

  it('gives the same base when the message uses CRLF line ends', async () => {
    const vector = signatureVector('2.4-reqres-2');
    const result = await run([
      'base',
      '--label',
      vector.label,
      ...files('crlf', toCrlf(vector.signedMessage.raw), toCrlf(vector.relatedRequest?.raw ?? '')),
    ]);
    expect(result.stdout).toBe(`${vector.signatureBase}\n`);
  });

  it('reads the message from stdin when no FILE is given', async () => {
    const vector = signatureVector('B.2.6');
    const result = await run(['base', '--label', vector.label], { stdin: vector.signedMessage.raw });
    expect(result.stdout).toBe(`${vector.signatureBase}\n`);
  });

  it('reproduces the bases of the B.4 transformed messages', async () => {
    const vector = signatureVector('B.4');
    for (const [i, transformed] of (vector.transformations ?? []).entries()) {
      const result = await run(['base', '--label', vector.label, ...files(`b4-${i}`, transformed.raw)]);
      expect(result.stdout, transformed.description).toBe(`${transformed.signatureBase}\n`);
    }
  });

  it('exits 1 with ERR_HTTPSIG_MISSING_SIGNATURE for a label the message does not have', async () => {
    const vector = signatureVector('B.2.6');
    const result = await run(['base', '--label', 'nope', ...files('missing', vector.signedMessage.raw)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_MISSING_SIGNATURE: /);
  });

  it('exits 1 with ERR_HTTPSIG_MISSING_COMPONENT when a ;req component has no related request', async () => {
    const vector = signatureVector('2.4-reqres-1');
    const result = await run(['base', '--label', vector.label, ...files('noreq', vector.signedMessage.raw)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_[A-Z_]+: /);
  });
});

describe('httpsig base --input', () => {
  it.each(signatureVectors.map((v) => [v.id, v] as const))(
    'builds the base of vector %s from its member on the unsigned message',
    async (id, vector) => {
      const result = await run([
        'base',
        '--input',
        `${vector.label}=${vector.signatureParamsValue}`,
        ...files(`${id}-unsigned`, vector.message.raw, vector.relatedRequest?.raw),
      ]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${vector.signatureBase}\n`);
    },
  );

  it('exits 1 with ERR_HTTPSIG_PARSE for a member that is not valid Signature-Input syntax', async () => {
    const vector = signatureVector('B.2.6');
    const result = await run(['base', '--input', 'sig1=("@method"', ...files('bad', vector.message.raw)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_PARSE: /);
  });

  it('exits 1 with ERR_HTTPSIG_INVALID_COMPONENT for an unknown derived component', async () => {
    const vector = signatureVector('B.2.6');
    const result = await run(['base', '--input', 'sig1=("@nope")', ...files('unknown', vector.message.raw)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_INVALID_COMPONENT: /);
  });

  it('uses the structured type of an unknown field automatically for ;sf and ;key', async () => {
    const raw = 'GET / HTTP/1.1\nHost: example.com\nExample-Dict:  a=1,    b=2;x=1;y=2,   c=(a   b   c)\n\n';
    const result = await run([
      'base',
      '--input',
      's=("example-dict";sf "example-dict";key="b")',
      ...files('sf', raw),
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      '"example-dict";sf: a=1, b=2;x=1;y=2, c=(a b c)\n"example-dict";key="b": 2;x=1;y=2\n' +
        '"@signature-params": ("example-dict";sf "example-dict";key="b")\n',
    );
  });
});
