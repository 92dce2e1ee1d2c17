/** `httpsig base`: print the signature base of a signature, for debugging. */
import { parseArgs } from 'node:util';
import { createSignatureBase, parseSignatureInput } from '@httpsig/core';
import { commonOptions, messageOptions, optionalFile, parseLabel, parseScheme, withUsage } from '../args';
import { UsageError } from '../errors';
import type { CliIO } from '../io';
import { baseCavageCommand, parseFormat, rejectFlags } from './cavage';
import { loadMessageInput } from './message-input';

export const baseUsage = `Usage: httpsig base [--format rfc9421] (--label L | --input MEMBER) [--request FILE]
                   [--scheme https|http] [FILE]
       httpsig base --format cavage [--default-headers LIST] [FILE]

Print the signature base of the raw HTTP message in FILE (or stdin), followed by one newline:
of the message's signature labelled L, or of the given Signature-Input member. With
--format cavage: the draft-cavage-12 signing string of the request's Signature header (or
Authorization: Signature), from its headers and created/expires parameters.

Options:
  --format F         rfc9421 (default) or cavage
  --default-headers LIST
                     cavage: what a signature without a headers parameter signs (default "(created)")
  --label L          a signature already on the message
  --input MEMBER     a Signature-Input member, e.g. 'sig1=("@method" "@path");created=1618884473'
  --request FILE     for a response: the request it answers (for ;req components)
  --scheme S         https (default) or http: the scheme of the target URI
  -h, --help         show this help
`;

export async function base(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = withUsage('base', () =>
    parseArgs({
      args: [...argv],
      options: {
        ...commonOptions,
        ...messageOptions,
        label: { type: 'string' },
        input: { type: 'string' },
        format: { type: 'string' },
        'default-headers': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (values.help) {
    io.stdout.write(baseUsage);
    return 0;
  }
  const file = optionalFile('base', positionals);
  const format = parseFormat('base', values.format);
  if (format === 'cavage') {
    rejectFlags('base', values, ['label', 'input', 'request'], format);
    const signingString = await baseCavageCommand(values, file, io);
    io.stdout.write(encodeText(`${signingString}\n`));
    return 0;
  }
  rejectFlags('base', values, ['default-headers'], format);
  const scheme = parseScheme('base', values.scheme);
  if ((values.label === undefined) === (values.input === undefined)) {
    throw new UsageError('Give exactly one of --label and --input', 'base');
  }

  const label = values.label === undefined ? '' : parseLabel('base', values.label, '--label');
  let member: ReturnType<typeof parseSignatureInput>[number] | undefined;
  if (values.input !== undefined) {
    const members = parseSignatureInput(values.input);
    if (members.length !== 1) {
      throw new UsageError(
        `--input must hold exactly one Signature-Input member, got ${members.length}`,
        'base',
      );
    }
    member = members[0];
  }

  const input = await loadMessageInput(io, 'base', { file, requestFile: values.request, scheme });
  const request = input.request === undefined ? {} : { request: input.request };
  const signatureBase =
    member === undefined
      ? createSignatureBase(input.message, {
          label,
          unknownFieldType: 'auto',
          ...request,
        })
      : createSignatureBase(input.message, {
          components: member.components,
          params: member.params,
          unknownFieldType: 'auto',
          ...request,
        });
  io.stdout.write(encodeText(`${signatureBase}\n`));
  return 0;
}

/** Field values were read as latin1, so write them back byte for byte. */
function encodeText(text: string): Uint8Array {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is the point
  return /[^\u0000-\u00ff]/.test(text) ? Buffer.from(text, 'utf8') : Buffer.from(text, 'latin1');
}
