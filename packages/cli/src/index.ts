/**
 * `@httpsig/cli` as a library: run the CLI in-process, and the raw HTTP/1.1 message parser and
 * writer it is built on.
 */
export { main, usage } from './main';
export type { CliIO, OutputSink } from './io';
export { CliError, type CliErrorCode, UsageError } from './errors';
export {
  parseHttpMessage,
  requestTargetUri,
  toCoreMessage,
  type ParsedHttpMessage,
  type ParsedRequest,
  type ParsedResponse,
  type RawFieldLine,
  type RawStartLine,
  type ToCoreMessageOptions,
} from './http/parse-message';
export { setFields } from './http/write-message';
