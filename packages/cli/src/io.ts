/** The process boundary of the CLI: injectable streams, file reading and path resolution. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { CliError, UsageError } from './errors';

/** Something text or bytes can be written to (`process.stdout`, a test buffer, …). */
export interface OutputSink {
  write(chunk: string | Uint8Array): unknown;
}

/** What `main` talks to instead of `process`, so tests can run it in-process. */
export interface CliIO {
  /** Standard input: a stream, or its whole content. */
  stdin?: NodeJS.ReadableStream | Uint8Array | string;
  stdout: OutputSink;
  stderr: OutputSink;
  /** Directory relative paths are resolved against. @default process.cwd() */
  cwd?: string;
}

export function resolvePath(io: CliIO, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd ?? process.cwd(), path);
}

/** Read a file as bytes; failures become `ERR_HTTPSIG_CLI_IO` naming the file. */
export async function readBytes(io: CliIO, path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(resolvePath(io, path));
  } catch (error) {
    throw new CliError('ERR_HTTPSIG_CLI_IO', `Cannot read ${what} ${path}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
}

/** Read the message from FILE, or from stdin when FILE is absent or `-`. */
export async function readMessageInput(
  io: CliIO,
  file: string | undefined,
  command: string,
): Promise<Buffer> {
  if (file !== undefined && file !== '-') return readBytes(io, file, 'message file');
  const stdin = io.stdin;
  if (stdin === undefined)
    throw new UsageError('No message given: pass FILE or pipe the message on stdin', command);
  if (typeof stdin === 'string') return Buffer.from(stdin, 'latin1');
  if (stdin instanceof Uint8Array) return Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength);
  // Waiting on an interactive terminal would look like a hang.
  if ((stdin as { isTTY?: boolean }).isTTY === true) {
    throw new UsageError('No message given: pass FILE or pipe the message on stdin', command);
  }
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin as AsyncIterable<string | Uint8Array>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  } catch (error) {
    throw new CliError('ERR_HTTPSIG_CLI_IO', `Cannot read standard input: ${describeFsError(error)}`, {
      cause: error,
    });
  }
}

/** A short reason for a file system error, without a stack. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
    case 'ERR_FS_EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent is not a directory';
    case 'EEXIST':
      return 'file exists';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
