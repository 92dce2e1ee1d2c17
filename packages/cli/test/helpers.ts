/** Shared test fixtures: the RFC 9421 vectors, their keys on disk, and an in-process CLI runner. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { main } from '../src/index';

const vectorDir = new URL('../../core/test/vectors/', import.meta.url);

export interface RawMessage {
  raw: string;
}

export interface SignatureVector {
  id: string;
  title: string;
  targetMessageType: 'request' | 'response';
  message: RawMessage;
  signedMessage: RawMessage;
  relatedRequest?: RawMessage;
  label: string;
  signatureParamsValue: string;
  signatureBase: string;
  signatureInputHeader: string;
  signatureHeader: string;
  keyid: string;
  algorithm: string;
  check: 'sign-and-compare' | 'verify-only';
  signatureParameters: { name: string; value: string | number | boolean }[];
  transformations?: (RawMessage & { description: string; expectedValid: boolean; signatureBase: string })[];
}

export interface ComponentVector {
  id: string;
  message: RawMessage;
  componentIdentifier: string;
  expectedValue?: string;
  expectedLine?: string;
}

interface KeyVector {
  keyid: string;
  privateKeyPem?: string;
  publicKeyPem?: string;
  secretBase64?: string;
  jwkPrivate: JsonWebKey;
  jwkPublic?: JsonWebKey;
}

const vectors = JSON.parse(readFileSync(new URL('rfc9421-vectors.json', vectorDir), 'utf8')) as {
  signatures: SignatureVector[];
  components: ComponentVector[];
};
const keyVectors = (
  JSON.parse(readFileSync(new URL('rfc9421-keys.json', vectorDir), 'utf8')) as { keys: KeyVector[] }
).keys;

export const signatureVectors: readonly SignatureVector[] = vectors.signatures;
export const componentVectors: readonly ComponentVector[] = vectors.components;

export function signatureVector(id: string): SignatureVector {
  const found = signatureVectors.find((v) => v.id === id);
  if (!found) throw new Error(`no signature vector ${id}`);
  return found;
}

export function componentVector(id: string): ComponentVector {
  const found = componentVectors.find((v) => v.id === id);
  if (!found) throw new Error(`no component vector ${id}`);
  return found;
}

/** A fresh temporary directory, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'httpsig-cli-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface KeyFiles {
  /** Private PEM, or for the shared secret its base64 text. */
  readonly private: string;
  /** Public PEM (the secret again for HMAC). */
  readonly public: string;
  readonly privateJwk: string;
  readonly publicJwk: string;
}

/** Write every RFC 9421 B.1 test key into `dir`, by keyid. */
export function writeTestKeys(dir: string): Record<string, KeyFiles> {
  const files: Record<string, KeyFiles> = {};
  for (const key of keyVectors) {
    const path = (suffix: string) => join(dir, `${key.keyid}${suffix}`);
    const write = (suffix: string, data: string) => {
      writeFileSync(path(suffix), data);
      return path(suffix);
    };
    const privateJwk = write('.jwk.json', JSON.stringify(key.jwkPrivate));
    if (key.secretBase64 !== undefined) {
      const secret = write('.secret', `${key.secretBase64}\n`);
      files[key.keyid] = { private: secret, public: secret, privateJwk, publicJwk: privateJwk };
    } else {
      files[key.keyid] = {
        private: write('.key', `${key.privateKeyPem}\n`),
        public: write('.pub', `${key.publicKeyPem}\n`),
        privateJwk,
        publicJwk: write('.pub.jwk.json', JSON.stringify(key.jwkPublic)),
      };
    }
  }
  return files;
}

/** Write text (latin1, one byte per char) to a file in `dir`. */
export function writeMessage(dir: string, name: string, raw: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw);
  return path;
}

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

class Capture {
  readonly chunks: Buffer[] = [];
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
    return true;
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Run the CLI in-process. `stdin` text is taken as latin1 bytes. */
export async function run(argv: string[], options: { stdin?: string | Uint8Array; cwd?: string } = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = typeof options.stdin === 'string' ? Buffer.from(options.stdin, 'latin1') : options.stdin;
  const code = await main(argv, {
    stdout,
    stderr,
    ...(stdin === undefined ? {} : { stdin }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const bytes = stdout.bytes();
  return {
    code,
    stdout: bytes.toString('latin1'),
    stdoutBytes: bytes,
    stderr: stderr.bytes().toString('utf8'),
  } satisfies RunResult;
}

/** The `created` parameter of a vector, for --now. */
export function createdOf(vector: SignatureVector): number {
  const created = vector.signatureParameters.find((p) => p.name === 'created')?.value;
  if (typeof created !== 'number') throw new Error(`vector ${vector.id} has no created`);
  return created;
}

/** Drop the Signature-Input and Signature lines from a raw message. */
export function withoutSignatureFields(raw: string): string {
  return raw
    .split('\n')
    .filter((line) => !/^Signature(-Input)?:/i.test(line))
    .join('\n');
}
