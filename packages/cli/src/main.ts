/** Command dispatch, usage text and the mapping of failures to exit codes. */
import { type HttpSigError, isHttpSigError } from '@httpsig/core';
import { base, baseUsage } from './commands/base';
import { digest, digestUsage } from './commands/digest';
import { fetchCommand, fetchUsage } from './commands/fetch';
import { keygen, keygenUsage } from './commands/keygen';
import { serve, serveUsage } from './commands/serve';
import { sign, signUsage } from './commands/sign';
import { verify, verifyUsage } from './commands/verify';
import { CliError, UsageError } from './errors';
import type { CliIO } from './io';

export type { CliIO, OutputSink } from './io';

interface Command {
  readonly run: (argv: readonly string[], io: CliIO) => Promise<number>;
  readonly usage: string;
  readonly summary: string;
}

const commands: Readonly<Record<string, Command>> = {
  keygen: {
    run: keygen,
    usage: keygenUsage,
    summary: 'generate a key pair or HMAC secret as PEM and JWK files',
  },
  sign: {
    run: sign,
    usage: signUsage,
    summary: 'add a signature (RFC 9421 or draft-cavage) to a raw HTTP message',
  },
  verify: {
    run: verify,
    usage: verifyUsage,
    summary: 'verify a signature (RFC 9421 or draft-cavage) of a raw HTTP message',
  },
  base: {
    run: base,
    usage: baseUsage,
    summary: 'print the signature base (or cavage signing string) of a signature',
  },
  digest: {
    run: digest,
    usage: digestUsage,
    summary: 'print the Content-Digest value of a body (RFC 9530)',
  },
  fetch: {
    run: fetchCommand,
    usage: fetchUsage,
    summary: 'send one signed request through a client adapter and print the response',
  },
  serve: {
    run: serve,
    usage: serveUsage,
    summary: 'run a verifying echo server to point a client at',
  },
};

export const usage = `Usage: httpsig <command> [options]

HTTP Message Signatures (RFC 9421) and digest fields (RFC 9530) from the command line.

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(8)}${command.summary}`)
  .join('\n')}

Run "httpsig <command> --help" for a command's options.
Messages are raw HTTP/1.1 (start line, fields, empty line, body) with CRLF or LF line ends.

Exit status: 0 success, 1 failure (one line "ERR_HTTPSIG_…: reason" on stderr), 2 usage error.
`;

/** Run the CLI with `argv` (without `node` and the script) and return the exit status. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) throw new UsageError('No command given');
    if (name === '--help' || name === '-h') {
      io.stdout.write(usage);
      return 0;
    }
    if (name === 'help') {
      io.stdout.write(rest[0] === undefined ? usage : lookup(rest[0]).usage);
      return 0;
    }
    return await lookup(name).run(rest, io);
  } catch (error) {
    return report(error, io);
  }
}

function lookup(name: string): Command {
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) throw new UsageError(`Unknown command "${name}"`);
  return command;
}

function report(error: unknown, io: CliIO): number {
  if (error instanceof UsageError) {
    const command = error.command === undefined ? undefined : commands[error.command];
    io.stderr.write(`${error.code}: ${oneLine(error.message)}\n\n${command?.usage ?? usage}`);
    return 2;
  }
  if (isHttpSigError(error)) {
    io.stderr.write(`${error.code}: ${oneLine(error.message)}${errorContext(error)}\n`);
    return 1;
  }
  if (error instanceof CliError) {
    io.stderr.write(`${error.code}: ${oneLine(error.message)}\n`);
    return 1;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  io.stderr.write(`ERR_HTTPSIG_CLI_INTERNAL: ${oneLine(message)}\n`);
  return 1;
}

/** Where the library says the problem is (label, component, parameter, field), unless it said so already. */
function errorContext(error: HttpSigError): string {
  const message = error.message.toLowerCase();
  const details: Record<string, string | undefined> = {
    label: error.label,
    component: error.component,
    parameter: error.parameter,
    field: error.field,
  };
  const parts: string[] = [];
  for (const [name, value] of Object.entries(details)) {
    if (value !== undefined && !message.includes(value.toLowerCase())) parts.push(`${name} ${value}`);
  }
  return parts.length === 0 ? '' : ` (${oneLine(parts.join(', '))})`;
}

/** Messages may quote message content; keep the report on one line and free of control bytes. */
function oneLine(message: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}
