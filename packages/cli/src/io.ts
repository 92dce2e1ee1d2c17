/** The process boundary of the CLI: injectable streams, file reading and path resolution. */
import { open, readFile } from 'node:fs/promises';
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
  /** Ends long-running commands (`serve`): the binary aborts it on SIGINT and SIGTERM. */
  signal?: AbortSignal;
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
  const stdin = standardInput(io, command, 'message');
  if (stdin instanceof Uint8Array) return stdin;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The bytes of FILE, or of stdin when FILE is absent or `-`, as a stream of chunks so that a
 * large input is never held in memory at once. Read failures become `ERR_HTTPSIG_CLI_IO`.
 */
export async function openInputStream(
  io: CliIO,
  file: string | undefined,
  command: string,
  what: string,
): Promise<Uint8Array | AsyncIterable<Uint8Array>> {
  if (file === undefined || file === '-') return standardInput(io, command, what);
  const failure = `Cannot read ${what} file ${file}`;
  try {
    // Opening first reports a missing or unreadable file before anything is read.
    const handle = await open(resolvePath(io, file), 'r');
    return ioErrors(handle.createReadStream(), failure);
  } catch (error) {
    throw new CliError('ERR_HTTPSIG_CLI_IO', `${failure}: ${describeFsError(error)}`, { cause: error });
  }
}

/** Standard input: its whole content when given as bytes, else its chunks. */
function standardInput(io: CliIO, command: string, what: string): Buffer | AsyncIterable<Buffer> {
  const stdin = io.stdin;
  const missing = () => new UsageError(`No ${what} given: pass FILE or pipe the ${what} on stdin`, command);
  if (stdin === undefined) throw missing();
  if (typeof stdin === 'string') return Buffer.from(stdin, 'latin1');
  if (stdin instanceof Uint8Array) return Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength);
  // Waiting on an interactive terminal would look like a hang.
  if ((stdin as { isTTY?: boolean }).isTTY === true) throw missing();
  return ioErrors(stdin as AsyncIterable<string | Uint8Array>, 'Cannot read standard input');
}

/** The chunks of a stream as bytes, its read errors turned into `ERR_HTTPSIG_CLI_IO`. */
async function* ioErrors(
  stream: AsyncIterable<string | Uint8Array>,
  failure: string,
): AsyncGenerator<Buffer, void, undefined> {
  try {
    for await (const chunk of stream) {
      if (typeof chunk === 'string') yield Buffer.from(chunk, 'latin1');
      else
        yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  } catch (error) {
    throw new CliError('ERR_HTTPSIG_CLI_IO', `${failure}: ${describeFsError(error)}`, { cause: error });
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
