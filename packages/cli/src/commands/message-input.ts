/** Reading the message to work on and, for a response, the request it answers. */
import type { RequestLike, ResponseLike } from '@httpsig/core';
import type { Scheme } from '../args';
import { CliError } from '../errors';
import { type ParsedHttpMessage, parseHttpMessage, toCoreMessage } from '../http/parse-message';
import { type CliIO, readBytes, readMessageInput } from '../io';

export interface MessageInput {
  readonly parsed: ParsedHttpMessage;
  readonly message: RequestLike | ResponseLike;
  /** The related request from --request, if given. */
  readonly request: RequestLike | undefined;
}

export async function loadMessageInput(
  io: CliIO,
  command: string,
  options: { file: string | undefined; requestFile: string | undefined; scheme: Scheme },
): Promise<MessageInput> {
  // Read the related request first so a bad --request is reported before stdin is consumed.
  let request: RequestLike | undefined;
  if (options.requestFile !== undefined) {
    const parsedRequest = parseHttpMessage(await readBytes(io, options.requestFile, 'request file'));
    if (parsedRequest.kind !== 'request') {
      throw new CliError('ERR_HTTPSIG_CLI_INPUT', `${options.requestFile} holds a response, not a request`);
    }
    request = toCoreMessage(parsedRequest, { scheme: options.scheme });
  }
  const parsed = parseHttpMessage(await readMessageInput(io, options.file, command));
  if (parsed.kind === 'request' && request !== undefined) {
    throw new CliError(
      'ERR_HTTPSIG_CLI_INPUT',
      '--request is only for responses, but the message is a request',
    );
  }
  const message = toCoreMessage(parsed, {
    scheme: options.scheme,
    ...(request === undefined ? {} : { request }),
  });
  return { parsed, message, request };
}

/** The combined value of a field's lines in the header section, or undefined when absent. */
export function fieldValue(parsed: ParsedHttpMessage, name: string): string | undefined {
  const lines = parsed.fields.filter((f) => f.name.toLowerCase() === name);
  if (lines.length === 0) return undefined;
  return lines.map((f) => f.value.replace(/[ \t]*\r?\n[ \t]+/g, ' ').trim()).join(', ');
}
