/**
 * Failures the CLI reports itself, next to the library's `HttpSigError` codes.
 *
 * - `ERR_HTTPSIG_CLI_IO`: a file or stdin cannot be read, or an output file cannot be written.
 * - `ERR_HTTPSIG_CLI_INPUT`: the HTTP message, the related request or a key file is malformed
 *   (bad start line or field line, broken chunked body, no Host, unreadable JWK JSON, …).
 * - `ERR_HTTPSIG_CLI_EXISTS`: `keygen` refuses to overwrite an existing file (use `--force`).
 * - `ERR_HTTPSIG_CLI_NETWORK`: `fetch` could not reach the server or lost the connection.
 * - `ERR_HTTPSIG_CLI_HTTP_STATUS`: `fetch` got an answer outside 2xx (the response is printed).
 * - `ERR_HTTPSIG_CLI_INTERNAL`: an unexpected failure (a bug); the message says what broke.
 *
 * Usage errors (unknown command or flag, missing or bad option value) exit with status 2 and
 * are reported as `ERR_HTTPSIG_CLI_USAGE` followed by the command's usage text.
 */

export type CliErrorCode =
  | 'ERR_HTTPSIG_CLI_IO'
  | 'ERR_HTTPSIG_CLI_INPUT'
  | 'ERR_HTTPSIG_CLI_EXISTS'
  | 'ERR_HTTPSIG_CLI_NETWORK'
  | 'ERR_HTTPSIG_CLI_HTTP_STATUS'
  | 'ERR_HTTPSIG_CLI_INTERNAL';

/** A runtime failure of the CLI itself: exit status 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Wrong command line: exit status 2, usage on stderr. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'ERR_HTTPSIG_CLI_USAGE';
  /** The command whose usage to show, when known. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}
