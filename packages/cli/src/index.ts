/**
 * `@httpsig/cli` as a library: run the CLI in-process, and the raw HTTP/1.1 message parser and
 * writer it is built on.
 */

export { CliError, type CliErrorCode, UsageError } from './errors';
export {
  type ParsedHttpMessage,
  type ParsedRequest,
  type ParsedResponse,
  parseHttpMessage,
  type RawFieldLine,
  type RawStartLine,
  requestTargetUri,
  type ToCoreMessageOptions,
  toCoreMessage,
} from './http/parse-message';
export { setFields } from './http/write-message';
export type { CliIO, OutputSink } from './io';
export { main, usage } from './main';
