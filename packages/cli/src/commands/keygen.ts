/** `httpsig keygen`: generate a key pair (or HMAC secret) and write it as PEM and JWK files. */
import { lstat, open, rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Algorithm, exportKey, generateKey } from '@httpsig/core';
import { commonOptions, parseAlgorithm, requireOption, withUsage } from '../args';
import { CliError, UsageError } from '../errors';
import { type CliIO, describeFsError, resolvePath } from '../io';

export const keygenUsage = `Usage: httpsig keygen --alg ALG --out PREFIX [--keyid ID] [--force]

Generate a key and write it to files named after PREFIX:
  PREFIX.key           private key, PEM (PKCS#8), mode 0600
  PREFIX.pub           public key, PEM (SPKI)
  PREFIX.jwk.json      private key as a JWK, mode 0600
  PREFIX.pub.jwk.json  public key as a JWK
For hmac-sha256: PREFIX.key holds the base64 secret and PREFIX.jwk.json an "oct" JWK (both 0600);
no public files are written. Key material is never printed; the paths written are.

Options:
  --alg ALG       rsa-pss-sha512, rsa-v1_5-sha256, hmac-sha256, ecdsa-p256-sha256,
                  ecdsa-p384-sha384 or ed25519
  --out PREFIX    path prefix of the files to write (the directory must exist)
  --keyid ID      put ID in the JWK files as "kid"
  --force         replace existing files instead of refusing
  -h, --help      show this help
`;

interface OutputFile {
  readonly path: string;
  readonly data: string;
  readonly secret: boolean;
}

export async function keygen(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = withUsage('keygen', () =>
    parseArgs({
      args: [...argv],
      options: {
        ...commonOptions,
        alg: { type: 'string' },
        out: { type: 'string' },
        keyid: { type: 'string' },
        force: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (values.help) {
    io.stdout.write(keygenUsage);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}"`, 'keygen');
  const alg = parseAlgorithm('keygen', requireOption('keygen', values.alg, '--alg'));
  const prefix = requireOption('keygen', values.out, '--out');
  if (prefix === '') throw new UsageError('--out must not be empty', 'keygen');
  const force = values.force === true;

  const names = fileNames(alg, prefix);
  if (!force) await refuseExisting(io, names);

  const files = await keyFiles(alg, names, values.keyid);
  const written: string[] = [];
  try {
    for (const file of files) {
      await writeNewFile(io, file, force);
      written.push(file.path);
    }
  } catch (error) {
    // Do not leave half a key set behind.
    await Promise.all(written.map((path) => rm(resolvePath(io, path), { force: true }).catch(() => {})));
    throw error;
  }
  for (const path of written) io.stdout.write(`${path}\n`);
  return 0;
}

interface FileNames {
  readonly key: string;
  readonly jwk: string;
  readonly pub?: string;
  readonly pubJwk?: string;
}

function fileNames(alg: Algorithm, prefix: string): FileNames {
  const secretOnly = { key: `${prefix}.key`, jwk: `${prefix}.jwk.json` };
  if (alg === 'hmac-sha256') return secretOnly;
  return { ...secretOnly, pub: `${prefix}.pub`, pubJwk: `${prefix}.pub.jwk.json` };
}

async function refuseExisting(io: CliIO, names: FileNames): Promise<void> {
  for (const path of Object.values(names) as string[]) {
    const exists = await lstat(resolvePath(io, path)).then(
      () => true,
      () => false,
    );
    if (exists) {
      throw new CliError('ERR_HTTPSIG_CLI_EXISTS', `${path} already exists; use --force to replace it`);
    }
  }
}

async function keyFiles(alg: Algorithm, names: FileNames, keyid: string | undefined): Promise<OutputFile[]> {
  const { privateKey, publicKey } = await generateKey(alg, {
    extractable: true,
    ...(keyid === undefined ? {} : { keyid }),
  });
  const withKid = (jwk: JsonWebKey): JsonWebKey & { kid?: string } =>
    keyid === undefined ? jwk : { ...jwk, kid: keyid };
  const json = (jwk: JsonWebKey): string => `${JSON.stringify(withKid(jwk), null, 2)}\n`;

  if (alg === 'hmac-sha256') {
    const secret = await exportKey(privateKey, 'raw');
    return [
      { path: names.key, data: `${Buffer.from(secret).toString('base64')}\n`, secret: true },
      { path: names.jwk, data: json(await exportKey(privateKey, 'jwk')), secret: true },
    ];
  }
  const files: OutputFile[] = [
    { path: names.key, data: pemText(await exportKey(privateKey, 'pem')), secret: true },
    { path: names.jwk, data: json(await exportKey(privateKey, 'jwk')), secret: true },
  ];
  if (names.pub !== undefined && names.pubJwk !== undefined) {
    files.push(
      { path: names.pub, data: pemText(await exportKey(publicKey, 'pem')), secret: false },
      { path: names.pubJwk, data: json(await exportKey(publicKey, 'jwk')), secret: false },
    );
  }
  return files;
}

function pemText(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}

/**
 * Create a file that did not exist, so a private key gets mode 0600 from its first byte on.
 * With --force an existing file is removed first rather than truncated, since truncating
 * would keep its old (possibly wider) mode.
 */
async function writeNewFile(io: CliIO, file: OutputFile, force: boolean): Promise<void> {
  const { data, secret } = file;
  const path = resolvePath(io, file.path);
  const mode = secret ? 0o600 : 0o644;
  try {
    if (force) await rm(path, { force: true });
    const handle = await open(path, 'wx', mode);
    try {
      // The umask may have narrowed the mode; a private key must be exactly owner read/write.
      if (secret) await handle.chmod(0o600);
      await handle.writeFile(data, 'utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') {
      throw new CliError('ERR_HTTPSIG_CLI_EXISTS', `${file.path} already exists; use --force to replace it`);
    }
    throw new CliError('ERR_HTTPSIG_CLI_IO', `Cannot write ${file.path}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
}
