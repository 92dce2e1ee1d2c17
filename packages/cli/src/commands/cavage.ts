/** The draft-cavage-12 side of `sign`, `verify` and `base` (`--format cavage`). */
import {
  createCavageSigningString,
  HttpSigError,
  parseCavageSignature,
  signCavage,
  verifyCavage,
} from '@httpsig/core';
import {
  parseAlgorithm,
  parseByteCount,
  parseChoice,
  parseInteger,
  parseScheme,
  requireOption,
} from '../args';
import { CliError, UsageError } from '../errors';
import { fieldName, setFields } from '../http/write-message';
import type { CliIO } from '../io';
import { loadKey } from '../keys/load-key';
import { fieldValue, loadMessageInput, type MessageInput } from './message-input';

export type Format = 'rfc9421' | 'cavage';

export function parseFormat(command: string, value: string | undefined): Format {
  return parseChoice(command, '--format', value, ['rfc9421', 'cavage'], 'rfc9421');
}

/** Refuse flags that belong to the other format, so a typo'd mix never silently does less. */
export function rejectFlags(
  command: string,
  values: Readonly<Record<string, unknown>>,
  flags: readonly string[],
  format: Format,
): void {
  const given = flags.find((flag) => values[flag] !== undefined);
  if (given !== undefined) {
    throw new UsageError(`--${given} cannot be used with --format ${format}`, command);
  }
}

/** Flags only `--format cavage` understands, per command. */
export const cavageOnlyFlags = {
  sign: ['headers', 'hs2019', 'authorization'],
  verify: ['default-headers'],
} as const;

/** A cavage `headers` list: names separated by spaces and/or commas, lower-cased. */
function parseHeaderList(command: string, list: string, flag: string): string[] {
  const names = list
    .split(/[\s,]+/)
    .filter((name) => name !== '')
    .map((name) => name.toLowerCase());
  if (names.length === 0) throw new UsageError(`${flag} must name at least one header`, command);
  return names;
}

async function loadRequest(io: CliIO, command: string, file: string | undefined, scheme: string | undefined) {
  const input = await loadMessageInput(io, command, {
    file,
    requestFile: undefined,
    scheme: parseScheme(command, scheme),
  });
  // draft-cavage signs requests only: (request-target) has no meaning for a response.
  if (input.parsed.kind !== 'request') {
    throw new CliError(
      'ERR_HTTPSIG_CLI_INPUT',
      `--format cavage works on requests, but the message is a response`,
    );
  }
  return input;
}

/** The key and message flags both cavage commands take. */
interface CavageKeyValues {
  key?: string | undefined;
  alg?: string | undefined;
  keyid?: string | undefined;
  'allow-weak-key'?: boolean | undefined;
  scheme?: string | undefined;
  'max-body-size'?: string | undefined;
}

export interface CavageSignValues extends CavageKeyValues {
  headers?: string | undefined;
  hs2019?: boolean | undefined;
  authorization?: boolean | undefined;
  created?: string | undefined;
  expires?: string | undefined;
}

export async function signCavageCommand(
  values: CavageSignValues,
  file: string | undefined,
  io: CliIO,
): Promise<number> {
  const keyFile = requireOption('sign', values.key, '--key');
  const alg = parseAlgorithm('sign', requireOption('sign', values.alg, '--alg'));
  const maxBodySize = parseByteCount('sign', values['max-body-size'], '--max-body-size');
  const headers =
    values.headers === undefined ? undefined : parseHeaderList('sign', values.headers, '--headers');
  const created =
    values.created === undefined
      ? undefined
      : values.created === 'now'
        ? (true as const)
        : parseInteger('sign', values.created, '--created');
  const expires =
    values.expires === undefined ? undefined : parseInteger('sign', values.expires, '--expires');
  const key = await loadKey(io, keyFile, {
    alg,
    purpose: 'sign',
    allowWeakKey: values['allow-weak-key'] === true,
    ...(values.keyid === undefined ? {} : { keyid: values.keyid }),
  });
  const keyId = values.keyid ?? key.keyid;
  if (keyId === undefined || keyId === '') {
    throw new UsageError('Missing required option --keyid (the key file names no key id)', 'sign');
  }
  const input = await loadRequest(io, 'sign', file, values.scheme);
  const result = await signCavage(input.message, {
    key,
    keyId,
    algorithm: values.hs2019 ? 'hs2019' : 'legacy',
    form: values.authorization ? 'authorization' : 'signature',
    ...(headers === undefined ? {} : { headers }),
    ...(created === undefined ? {} : { created }),
    ...(expires === undefined ? {} : { expires }),
    ...(maxBodySize === undefined ? {} : { maxBodySize }),
  });
  // `headers` lists Digest and Date (when added) before the signature field.
  const fields = Object.entries(result.headers).map(([name, value]) => [fieldName(name), value] as const);
  io.stdout.write(setFields(input.parsed, fields));
  return 0;
}

export interface CavageVerifyValues extends CavageKeyValues {
  require?: string | undefined;
  'default-headers'?: string | undefined;
  'max-age'?: string | undefined;
  now?: string | undefined;
}

export async function verifyCavageCommand(
  values: CavageVerifyValues,
  file: string | undefined,
  io: CliIO,
): Promise<number> {
  const keyFile = requireOption('verify', values.key, '--key');
  const alg = parseAlgorithm('verify', requireOption('verify', values.alg, '--alg'));
  const now = values.now === undefined ? undefined : parseInteger('verify', values.now, '--now');
  const maxAge =
    values['max-age'] === undefined ? undefined : parseInteger('verify', values['max-age'], '--max-age');
  const maxBodySize = parseByteCount('verify', values['max-body-size'], '--max-body-size');
  const required =
    values.require === undefined ? undefined : parseHeaderList('verify', values.require, '--require');
  const defaults =
    values['default-headers'] === undefined
      ? undefined
      : parseHeaderList('verify', values['default-headers'], '--default-headers');
  const key = await loadKey(io, keyFile, {
    alg,
    purpose: 'verify',
    allowWeakKey: values['allow-weak-key'] === true,
    ...(values.keyid === undefined ? {} : { keyid: values.keyid }),
  });
  const input = await loadRequest(io, 'verify', file, values.scheme);
  const result = await verifyCavage(input.message, {
    // The key file is trusted for any keyId, unless --keyid names the one to accept.
    keys: (keyId) => (values.keyid === undefined || keyId === values.keyid ? key : undefined),
    algorithms: [alg],
    clockSkew: 0,
    ...(required === undefined ? {} : { requiredHeaders: required }),
    ...(defaults === undefined ? {} : { defaultHeaders: defaults }),
    ...(now === undefined ? {} : { now }),
    ...(maxAge === undefined ? {} : { maxAge }),
    ...(maxBodySize === undefined ? {} : { maxBodySize }),
  });
  const words = [`verified cavage keyId=${quote(result.keyId)}`];
  words.push(`algorithm=${result.algorithmParam ?? '(none)'}`, `alg=${result.algorithm}`);
  if (result.created !== undefined) words.push(`created=${result.created}`);
  if (result.expires !== undefined) words.push(`expires=${result.expires}`);
  words.push(`form=${result.form}`, `headers=${quote(result.headers.join(' '))}`);
  const lines = [words.join(' ')];
  if (result.digest !== undefined) {
    lines.push(`digest: ${result.digest.field} (${result.digest.algorithms.join(', ')})`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export interface CavageBaseValues {
  scheme?: string | undefined;
  'default-headers'?: string | undefined;
}

/** The signing string of the message's own cavage signature (Signature header first). */
export async function baseCavageCommand(
  values: CavageBaseValues,
  file: string | undefined,
  io: CliIO,
): Promise<string> {
  const defaults =
    values['default-headers'] === undefined
      ? ['(created)']
      : parseHeaderList('base', values['default-headers'], '--default-headers');
  const input: MessageInput = await loadRequest(io, 'base', file, values.scheme);
  const value = signatureValue(input);
  const params = parseCavageSignature(value);
  return createCavageSigningString(input.message, params.headers ?? defaults, {
    ...(params.algorithm === undefined ? {} : { algorithm: params.algorithm }),
    ...(params.createdText === undefined ? {} : { created: params.createdText }),
    ...(params.expiresText === undefined ? {} : { expires: params.expiresText }),
  });
}

function signatureValue(input: MessageInput): string {
  const signature = input.parsed.fields.find((f) => f.name.toLowerCase() === 'signature');
  // The first Signature line: several lines are several signatures, not one split value.
  if (signature !== undefined) return signature.value.replace(/[ \t]*\r?\n[ \t]+/g, ' ').trim();
  const authorization = fieldValue(input.parsed, 'authorization');
  const match = authorization === undefined ? null : /^\s*signature[ \t]+(.*)$/is.exec(authorization);
  if (match?.[1] === undefined) {
    throw new HttpSigError('ERR_HTTPSIG_MISSING_SIGNATURE', 'The request has no draft-cavage signature');
  }
  return match[1];
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}
