import { describe, expect, it } from 'vitest';
import { CliError } from '../src/errors';
import {
  type ParsedRequest,
  type ParsedResponse,
  parseHttpMessage,
  setFields,
  toCoreMessage,
} from '../src/index';
import { componentVector, run, tempDir, toCrlf, writeMessage } from './helpers';

const bytes = (text: string) => Buffer.from(text, 'latin1');
const parse = (text: string) => parseHttpMessage(bytes(text));
const parseRequest = (text: string) => parse(text) as ParsedRequest;
const latin1 = (data: Uint8Array) => Buffer.from(data).toString('latin1');

function inputError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('ERR_HTTPSIG_CLI_INPUT');
    return error as CliError;
  }
  throw new Error('expected ERR_HTTPSIG_CLI_INPUT');
}

const request =
  'POST /foo?param=Value&Pet=dog HTTP/1.1\nHost: example.com\nContent-Length: 18\n\n{"hello": "world"}';

describe('parseHttpMessage', () => {
  it('reads an LF request: method, target, version, field lines and body bytes', () => {
    const parsed = parseRequest(request);
    expect(parsed.kind).toBe('request');
    expect(parsed.method).toBe('POST');
    expect(parsed.target).toBe('/foo?param=Value&Pet=dog');
    expect(parsed.version).toBe('HTTP/1.1');
    expect(parsed.lineEnding).toBe('\n');
    expect(parsed.fields.map((f) => [f.name, f.value])).toEqual([
      ['Host', ' example.com'],
      ['Content-Length', ' 18'],
    ]);
    expect(latin1(parsed.body)).toBe('{"hello": "world"}');
    expect(parsed.chunked).toBe(false);
  });

  it('reads a CRLF message without leaving CR in values, and records CRLF as its line ending', () => {
    const parsed = parseRequest(toCrlf(request));
    expect(parsed.lineEnding).toBe('\r\n');
    expect(parsed.fields.map((f) => f.value)).toEqual([' example.com', ' 18']);
    expect(parsed.fields.every((f) => f.eol === '\r\n')).toBe(true);
    expect(latin1(parsed.body)).toBe('{"hello": "world"}');
  });

  it('keeps the body bytes exactly, CR, LF and non-UTF-8 bytes included', () => {
    const body = Buffer.from([0x00, 0x0d, 0x0a, 0x0d, 0x0a, 0xff, 0xfe, 0x80, 0x41]);
    const head = bytes('PUT /bin HTTP/1.1\r\nHost: example.com\r\n\r\n');
    const parsed = parseHttpMessage(Buffer.concat([head, body]));
    expect(Buffer.from(parsed.body).equals(body)).toBe(true);
    expect(Buffer.from(parsed.content).equals(body)).toBe(true);
  });

  it('reads a status line', () => {
    const parsed = parse(
      'HTTP/1.1 503 Service Unavailable\nContent-Type: text/plain\n\nbusy',
    ) as ParsedResponse;
    expect(parsed.kind).toBe('response');
    expect(parsed.status).toBe(503);
    expect(parsed.reason).toBe('Service Unavailable');
  });

  it('accepts a message that ends right after its last field line (no empty line)', () => {
    const parsed = parseRequest('GET /path HTTP/1.1\nHost: www.example.com');
    expect(parsed.fields).toHaveLength(1);
    expect(parsed.fields[0]?.eol).toBe('');
    expect(parsed.body).toHaveLength(0);
  });

  it('joins obs-fold continuation lines to the field above, keeping them raw', () => {
    const parsed = parseRequest(
      'GET / HTTP/1.1\nHost: www.example.com\nX-Obs-Fold-Header: Obsolete\n    line folding.\nX-Next: 1\n\n',
    );
    expect(parsed.fields.map((f) => [f.name, f.value])).toEqual([
      ['Host', ' www.example.com'],
      ['X-Obs-Fold-Header', ' Obsolete\n    line folding.'],
      ['X-Next', ' 1'],
    ]);
  });

  it('de-chunks a chunked body and reads the fields after the last chunk as trailers (RFC 9421 §2.1.4)', () => {
    const raw = componentVector('2.1.4#1').message.raw;
    const parsed = parse(raw);
    expect(parsed.chunked).toBe(true);
    expect(latin1(parsed.content)).toBe('HTTPMessageSignatures');
    expect(parsed.trailers?.map((f) => [f.name, f.value])).toEqual([
      ['Expires', ' Wed, 9 Nov 2022 07:28:00 GMT'],
    ]);
    // The raw body is left as sent.
    expect(latin1(parsed.body)).toBe(raw.slice(raw.indexOf('\n\n') + 2));
  });

  it('de-chunks CRLF chunks with chunk extensions and a trailer section ended by an empty line', () => {
    const raw = toCrlf(
      'HTTP/1.1 200 OK\nTransfer-Encoding: gzip, chunked\n\n5;ext=1\nhello\n0\nDigest-Trailer: a\n  b\n\n',
    );
    const parsed = parse(raw);
    expect(latin1(parsed.content)).toBe('hello');
    expect(parsed.trailers?.map((f) => [f.name, f.value])).toEqual([['Digest-Trailer', ' a\r\n  b']]);
  });

  it('refuses a chunked body that is cut short', () => {
    inputError(() => parse('HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n10\nshort\n'));
    inputError(() => parse('HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n5\nhello\n'));
    inputError(() => parse('HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\nzz\nhello\n0\n\n'));
  });

  it('refuses malformed start lines and field lines with ERR_HTTPSIG_CLI_INPUT', () => {
    inputError(() => parse(''));
    inputError(() => parse('\n\n'));
    inputError(() => parse('hello\nHost: x\n\n'));
    inputError(() => parse('GET / HTTP/1.1\nHost example.com\n\n'));
    inputError(() => parse('GET / HTTP/1.1\nBad Name: x\n\n'));
    inputError(() => parse('GET / HTTP/1.1\n continuation first\n\n'));
    expect(inputError(() => parse('GET / HTTP/1.1\nHost: a\nno colon here\n\n')).message).toContain('Line 3');
  });
});

describe('toCoreMessage: the target URI (RFC 9112 §3.2)', () => {
  it('builds scheme://host/path?query for origin-form, https by default', () => {
    const message = toCoreMessage(parseRequest(request));
    expect(message).toMatchObject({ method: 'POST', url: 'https://example.com/foo?param=Value&Pet=dog' });
    expect(message).not.toHaveProperty('target');
    expect(message.headers).toEqual([
      ['Host', ' example.com'],
      ['Content-Length', ' 18'],
    ]);
  });

  it('uses http when asked', () => {
    expect(toCoreMessage(parseRequest(request), { scheme: 'http' }).url).toBe(
      'http://example.com/foo?param=Value&Pet=dog',
    );
  });

  it('takes an absolute-form target as the URL and as the target, without needing Host', () => {
    const message = toCoreMessage(parseRequest('GET https://www.example.com/path?param=value HTTP/1.1\n\n'));
    expect(message.url).toBe('https://www.example.com/path?param=value');
    expect(message.target).toBe('https://www.example.com/path?param=value');
  });

  it('maps authority-form (CONNECT) to scheme://host:port with the authority as target', () => {
    const message = toCoreMessage(
      parseRequest('CONNECT www.example.com:443 HTTP/1.1\nHost: www.example.com\n\n'),
    );
    expect(message.url).toBe('https://www.example.com:443');
    expect(message.target).toBe('www.example.com:443');
  });

  it('maps asterisk-form (OPTIONS *) to scheme://host with target *', () => {
    const message = toCoreMessage(parseRequest('OPTIONS * HTTP/1.1\nHost: www.example.com\n\n'));
    expect(message.url).toBe('https://www.example.com');
    expect(message.target).toBe('*');
  });

  it('refuses a request without Host and without an absolute-form target', () => {
    expect(
      inputError(() => toCoreMessage(parseRequest('GET /path HTTP/1.1\nAccept: */*\n\n'))).message,
    ).toMatch(/Host/);
    inputError(() => toCoreMessage(parseRequest('OPTIONS * HTTP/1.1\n\n')));
  });

  it('refuses two Host fields and a Host that is not host[:port]', () => {
    inputError(() => toCoreMessage(parseRequest('GET / HTTP/1.1\nHost: a.example\nHost: b.example\n\n')));
    inputError(() => toCoreMessage(parseRequest('GET / HTTP/1.1\nHost: a.example/evil\n\n')));
  });

  it('passes trailers and the de-chunked body on', () => {
    const message = toCoreMessage(parse(componentVector('2.1.4#1').message.raw) as ParsedResponse);
    expect(message.status).toBe(200);
    expect(message.trailers).toEqual([['Expires', ' Wed, 9 Nov 2022 07:28:00 GMT']]);
    expect(latin1(message.body as Uint8Array)).toBe('HTTPMessageSignatures');
  });
});

describe('setFields', () => {
  it('appends absent fields after the last header line, before the body', () => {
    const out = setFields(parse(request), [
      ['Signature-Input', 'a=()'],
      ['Signature', 'a=:AA==:'],
    ]);
    expect(latin1(out)).toBe(
      'POST /foo?param=Value&Pet=dog HTTP/1.1\nHost: example.com\nContent-Length: 18\n' +
        'Signature-Input: a=()\nSignature: a=:AA==:\n\n{"hello": "world"}',
    );
  });

  it('uses CRLF for new lines in a CRLF message', () => {
    const out = latin1(setFields(parse(toCrlf(request)), [['Signature', 'a=:AA==:']]));
    expect(out).toBe(toCrlf(`${request.replace('\n\n', '\nSignature: a=:AA==:\n\n')}`));
  });

  it('replaces the first line of a field in place, keeps its spelling, and drops its later lines', () => {
    const raw =
      'GET / HTTP/1.1\r\nsignature-input: a=()\r\nHost: x\r\nSignature: a=:AA==:\r\nSIGNATURE-INPUT: b=()\r\n  ;created=1\r\n\r\nbody';
    const out = latin1(
      setFields(parse(raw), [
        ['Signature-Input', 'a=(), b=()'],
        ['Signature', 'a=:AA==:, b=:AA==:'],
      ]),
    );
    expect(out).toBe(
      'GET / HTTP/1.1\r\nsignature-input: a=(), b=()\r\nHost: x\r\nSignature: a=:AA==:, b=:AA==:\r\n\r\nbody',
    );
  });

  it('keeps a head without a final line end that way', () => {
    const out = latin1(setFields(parse('GET / HTTP/1.1\nHost: x'), [['Signature', 's=:AA==:']]));
    expect(out).toBe('GET / HTTP/1.1\nHost: x\nSignature: s=:AA==:');
  });

  it('leaves chunked bodies and trailers untouched', () => {
    const raw = componentVector('2.1.4#1').message.raw;
    const out = latin1(setFields(parse(raw), [['Signature', 's=:AA==:']]));
    expect(out).toBe(raw.replace('Trailer: Expires\n', 'Trailer: Expires\nSignature: s=:AA==:\n'));
  });
});

describe('raw messages through the CLI (base --input)', () => {
  const dir = tempDir();
  const base = async (raw: string, member: string, ...extra: string[]) =>
    run(['base', '--input', member, ...extra, writeMessage(dir, 'm.http', raw)]);

  it('turns obs-fold into a single space in the signature base', async () => {
    const raw = `GET / HTTP/1.1\n${componentVector('2.1#1').message.raw}\n\n`;
    const result = await base(raw, 's=("x-obs-fold-header")');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      '"x-obs-fold-header": Obsolete line folding.\n"@signature-params": ("x-obs-fold-header")\n',
    );
  });

  it('gives the same base for the CRLF and the LF form of a message', async () => {
    const raw = `GET / HTTP/1.1\n${componentVector('2.1#1').message.raw}\n\n`;
    const member = 's=("x-obs-fold-header" "cache-control" "x-ows-header" "example-dict";sf)';
    const lf = await base(raw, member);
    const crlf = await base(toCrlf(raw), member);
    expect(lf.code).toBe(0);
    expect(crlf.stdout).toBe(lf.stdout);
  });

  it('reads trailer fields of a chunked message for ;tr', async () => {
    const result = await base(componentVector('2.1.4#1').message.raw, 's=("@status" "trailer" "expires";tr)');
    expect(result.stdout).toBe(
      '"@status": 200\n"trailer": Expires\n"expires";tr: Wed, 9 Nov 2022 07:28:00 GMT\n' +
        '"@signature-params": ("@status" "trailer" "expires";tr)\n',
    );
  });

  it.each([
    [
      'absolute-form',
      'GET https://www.example.com/path?param=value HTTP/1.1\n\n',
      'https://www.example.com/path?param=value',
    ],
    [
      'authority-form',
      'CONNECT www.example.com:80 HTTP/1.1\nHost: www.example.com\n\n',
      'www.example.com:80',
    ],
    ['asterisk-form', 'OPTIONS * HTTP/1.1\nHost: www.example.com\n\n', '*'],
    ['origin-form', 'POST /path?param=value HTTP/1.1\nHost: www.example.com\n\n', '/path?param=value'],
  ])('gives @request-target of a %s request as sent (RFC 9421 §2.2.5)', async (_form, raw, expected) => {
    const result = await base(raw, 's=("@request-target")');
    expect(result.stdout.split('\n')[0]).toBe(`"@request-target": ${expected}`);
  });

  it('builds @target-uri and @scheme from --scheme, Host and the origin-form target', async () => {
    const raw = 'POST /path?param=value HTTP/1.1\nHost: www.example.com\n\n';
    const https = await base(raw, 's=("@target-uri" "@scheme")');
    expect(https.stdout).toContain(
      '"@target-uri": https://www.example.com/path?param=value\n"@scheme": https\n',
    );
    const http = await base(raw, 's=("@target-uri" "@scheme")', '--scheme', 'http');
    expect(http.stdout).toContain(
      '"@target-uri": http://www.example.com/path?param=value\n"@scheme": http\n',
    );
  });

  it('fails with ERR_HTTPSIG_CLI_INPUT, exit 1, for a request without Host', async () => {
    const result = await base('GET /path HTTP/1.1\nAccept: */*\n\n', 's=("@method")');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_INPUT: .*Host/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
