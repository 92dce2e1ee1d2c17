/** Command-line parsing helpers: option values are checked here so commands get typed values. */
import { type Algorithm, algorithms, type DigestAlgorithm, digestAlgorithms } from '@httpsig/core';
import { UsageError } from './errors';

/**
 * Run a `util.parseArgs` call (strict, with positionals), turning its errors into usage errors.
 * Each command calls `parseArgs` itself so option types are inferred from its own table.
 */
export function withUsage<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(parseArgsMessage(error), command);
  }
}

/** Options every command accepts. */
export const commonOptions = {
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options of the commands that read a message: the related request and the scheme. */
export const messageOptions = {
  request: { type: 'string' },
  scheme: { type: 'string' },
} as const;

/** Options of the commands that read a body to digest it (digest, sign and verify). */
export const bodyOptions = {
  'max-body-size': { type: 'string' },
} as const;

/** Options of the commands that use a key file (sign and verify). */
export const keyOptions = {
  key: { type: 'string' },
  alg: { type: 'string' },
  keyid: { type: 'string' },
  'allow-weak-key': { type: 'boolean' },
} as const;

function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Node appends a hint about `--` for unknown options; the first sentence is what matters.
  return message.split('. To specify a positional argument')[0] ?? message;
}

/** At most one positional argument (the message file). */
export function optionalFile(command: string, positionals: readonly string[]): string | undefined {
  if (positionals.length > 1) {
    throw new UsageError(`Expected at most one message FILE, got ${positionals.length} arguments`, command);
  }
  return positionals[0];
}

export function requireOption<T>(command: string, value: T | undefined, flag: string): T {
  if (value === undefined) throw new UsageError(`Missing required option ${flag}`, command);
  return value;
}

export function parseAlgorithm(command: string, value: string): Algorithm {
  if (!(algorithms as readonly string[]).includes(value)) {
    throw new UsageError(
      `Unknown algorithm "${value}" for --alg; use one of: ${algorithms.join(', ')}`,
      command,
    );
  }
  return value as Algorithm;
}

export function parseDigestAlgorithm(command: string, value: string, flag: string): DigestAlgorithm {
  if (!(digestAlgorithms as readonly string[]).includes(value)) {
    throw new UsageError(
      `Unknown digest algorithm "${value}" for ${flag}; use one of: ${digestAlgorithms.join(', ')}`,
      command,
    );
  }
  return value as DigestAlgorithm;
}

/** Digest algorithms from a repeatable option whose values may also be comma-separated lists. */
export function parseDigestAlgorithms(
  command: string,
  values: readonly string[],
  flag: string,
): DigestAlgorithm[] {
  const chosen = values
    .flatMap((value) => value.split(','))
    .map((name) => parseDigestAlgorithm(command, name.trim(), flag));
  return [...new Set(chosen)];
}

/** A size in bytes, for --max-body-size. */
export function parseByteCount(command: string, value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw new UsageError(`${flag} must be a non-negative integer number of bytes, got "${value}"`, command);
  }
  return Number(value);
}

/** A flag that takes one of a few words; absent gives `fallback`. */
export function parseChoice<T extends string>(
  command: string,
  flag: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    const list =
      choices.length === 1 ? choices[0] : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
    throw new UsageError(`${flag} must be ${list}, got "${value}"`, command);
  }
  return value as T;
}

export type Scheme = 'https' | 'http';

export function parseScheme(command: string, value: string | undefined): Scheme {
  return parseChoice(command, '--scheme', value, ['https', 'http'], 'https');
}

/** A signature label is a Structured Field dictionary key. */
export function parseLabel(command: string, value: string, flag: string): string {
  if (!/^[a-z*][a-z0-9_\-.*]*$/.test(value)) {
    throw new UsageError(
      `${flag} "${value}" is not a valid label (lower-case letters, digits and _ - . *, starting with a letter or *)`,
      command,
    );
  }
  return value;
}

/** A non-negative integer as Structured Fields allow (at most 15 digits). */
export function parseInteger(command: string, value: string, flag: string): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw new UsageError(`${flag} must be a non-negative integer (Unix seconds), got "${value}"`, command);
  }
  return Number(value);
}

/**
 * Split a list of component identifiers separated by commas and/or whitespace.
 *
 * Items are bare names (`@method`, `Content-Type`) or serialized identifiers with parameters
 * (`"@query-param";name="q"`, `content-digest;req`). Separators inside quoted strings belong to
 * the item. Each item comes back serialized as in a Signature-Input inner list: the name quoted
 * (bare names lower-cased, since component names of fields are lower case), then `;key[=value]`
 * parameters exactly as written, without whitespace around `;`.
 */
export function parseComponentList(command: string, list: string, flag: string): string[] {
  // A pasted inner list, `("@method" "@path")`, is accepted too.
  const trimmed = list.trim();
  const text = trimmed.startsWith('(') && trimmed.endsWith(')') ? trimmed.slice(1, -1) : list;
  const items: string[] = [];
  const n = text.length;
  const fail = (reason: string, at: number): never => {
    throw new UsageError(`Bad component list in ${flag} at character ${at + 1}: ${reason}`, command);
  };
  let i = 0;
  for (;;) {
    while (i < n && isSeparator(text.charAt(i))) i++;
    if (i >= n) break;

    let name: string;
    if (text.charAt(i) === '"') {
      const end = quotedEnd(text, i, fail);
      name = text.slice(i, end);
      if (name === '""') fail('empty component name', i);
      i = end;
    } else {
      const start = i;
      while (i < n && !isSeparator(text.charAt(i)) && text.charAt(i) !== ';') {
        if (text.charAt(i) === '"' || text.charAt(i) === '\\') fail('unexpected quote in a bare name', i);
        i++;
      }
      if (i === start) fail('expected a component name', i);
      name = `"${text.slice(start, i).toLowerCase()}"`;
    }

    let params = '';
    for (;;) {
      let j = i;
      while (j < n && isBlank(text.charAt(j))) j++;
      if (text.charAt(j) !== ';') break;
      j++;
      while (j < n && isBlank(text.charAt(j))) j++;
      const keyStart = j;
      while (j < n && /[a-z0-9_.*-]/.test(text.charAt(j))) j++;
      if (j === keyStart) fail('expected a parameter name after ";"', j);
      params += `;${text.slice(keyStart, j)}`;
      if (text.charAt(j) === '=') {
        j++;
        if (text.charAt(j) === '"') {
          const end = quotedEnd(text, j, fail);
          params += `=${text.slice(j, end)}`;
          j = end;
        } else {
          const valueStart = j;
          while (j < n && !isSeparator(text.charAt(j)) && text.charAt(j) !== ';' && text.charAt(j) !== '"')
            j++;
          if (j === valueStart) fail('expected a parameter value after "="', j);
          params += `=${text.slice(valueStart, j)}`;
        }
      }
      i = j;
    }
    if (i < n && !isSeparator(text.charAt(i))) fail(`unexpected "${text.charAt(i)}"`, i);
    items.push(name + params);
  }
  return items;
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t';
}

function isSeparator(c: string): boolean {
  return c === ',' || c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** Index just past the closing quote of the string starting at `start`. */
function quotedEnd(text: string, start: number, fail: (reason: string, at: number) => never): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return fail('unterminated quoted string', start);
}
