/** `httpsig verify`: check one signature of a raw HTTP message with a key file. */
import { parseArgs } from 'node:util';
import { defaultMaxBodySize, HttpSigError, parseSignatureInput, verifyMessage } from '@httpsig/core';
import {
  bodyOptions,
  commonOptions,
  keyOptions,
  messageOptions,
  optionalFile,
  parseAlgorithm,
  parseByteCount,
  parseComponentList,
  parseInteger,
  parseLabel,
  parseScheme,
  requireOption,
  withUsage,
} from '../args';
import type { ParsedHttpMessage } from '../http/parse-message';
import type { CliIO } from '../io';
import { loadKey } from '../keys/load-key';
import { cavageOnlyFlags, parseFormat, rejectFlags, verifyCavageCommand } from './cavage';
import { fieldValue, loadMessageInput } from './message-input';

export const verifyUsage = `Usage: httpsig verify --key FILE --alg ALG [--keyid ID] [--label L] [--now UNIX]
                      [--max-age SECONDS] [--require LIST] [--tag TAG] [--no-require-digest]
                      [--max-body-size BYTES] [--request FILE] [--scheme https|http]
                      [--allow-weak-key] [FILE]
       httpsig verify --format cavage --key FILE --alg ALG [--keyid ID] [--require LIST]
                      [--default-headers LIST] [--max-age SECONDS] [--now UNIX]
                      [--max-body-size BYTES] [--allow-weak-key] [FILE]

Verify a signature of the raw HTTP message in FILE (or stdin). On success print a line starting
with "verified", then a line "digest: FIELD (ALGS)" for each digest field checked against the
body, and exit 0; otherwise print the error code and reason on stderr and exit 1.

A covered Content-Digest (or Repr-Digest) must match the body (else ERR_HTTPSIG_DIGEST_MISMATCH).
A request with a body must be signed over its content-digest (else ERR_HTTPSIG_POLICY), unless
--no-require-digest is given.

With --format cavage the request's draft-cavage-12 Signature (or Authorization: Signature) is
verified; the line printed is 'verified cavage keyId="..." algorithm=... headers="..."'. A signed
Digest must match the body. --require (headers, separated by spaces or commas) defaults to
"(request-target) host date", with "digest" for a body; --max-age counts from (created), else Date.

Options:
  --format F         rfc9421 (default) or cavage
  --default-headers LIST
                     cavage: what a signature without a headers parameter signs
                     (default "(created)"; older signers meant "date")
  --key FILE         public key (PEM or JWK; a private key's public half is used),
                     or for hmac-sha256 the base64 secret (or an oct JWK)
  --alg ALG          the algorithm the key is used with; a signature whose alg parameter
                     says otherwise is refused
  --keyid ID         require the signature's keyid to be ID (else any keyid uses the key)
  --label L          the signature to verify (needed when the message carries several)
  --now UNIX         the current time for expires and --max-age (default: the clock)
  --max-age S        refuse signatures created more than S seconds before now
  --require LIST     components the signature must cover (same syntax as sign --components)
  --tag TAG          require the tag parameter to be TAG
  --no-require-digest
                     accept a request signature that leaves its body uncovered
  --max-body-size N  refuse a body over N bytes for the digest (default ${defaultMaxBodySize})
  --request FILE     for a response: the request it answers (for ;req components)
  --scheme S         https (default) or http: the scheme of the target URI
  --allow-weak-key   accept RSA keys under 2048 bits and HMAC secrets under 32 bytes
  -h, --help         show this help
`;

export async function verify(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = withUsage('verify', () =>
    parseArgs({
      args: [...argv],
      options: {
        ...commonOptions,
        ...keyOptions,
        ...messageOptions,
        ...bodyOptions,
        label: { type: 'string' },
        now: { type: 'string' },
        'max-age': { type: 'string' },
        require: { type: 'string' },
        tag: { type: 'string' },
        'no-require-digest': { type: 'boolean' },
        format: { type: 'string' },
        'default-headers': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (values.help) {
    io.stdout.write(verifyUsage);
    return 0;
  }
  const file = optionalFile('verify', positionals);
  const format = parseFormat('verify', values.format);
  if (format === 'cavage') {
    rejectFlags('verify', values, ['label', 'tag', 'no-require-digest', 'request'], format);
    return verifyCavageCommand(values, file, io);
  }
  rejectFlags('verify', values, cavageOnlyFlags.verify, format);
  const keyFile = requireOption('verify', values.key, '--key');
  const alg = parseAlgorithm('verify', requireOption('verify', values.alg, '--alg'));
  const scheme = parseScheme('verify', values.scheme);
  const now = values.now === undefined ? undefined : parseInteger('verify', values.now, '--now');
  const maxAge =
    values['max-age'] === undefined ? undefined : parseInteger('verify', values['max-age'], '--max-age');
  const maxBodySize = parseByteCount('verify', values['max-body-size'], '--max-body-size');
  const required =
    values.require === undefined ? [] : parseComponentList('verify', values.require, '--require');

  const key = await loadKey(io, keyFile, {
    alg,
    purpose: 'verify',
    allowWeakKey: values['allow-weak-key'] === true,
    ...(values.keyid === undefined ? {} : { keyid: values.keyid }),
  });
  const input = await loadMessageInput(io, 'verify', { file, requestFile: values.request, scheme });
  const wanted = values.label === undefined ? undefined : parseLabel('verify', values.label, '--label');
  const label = chooseLabel(input.parsed, wanted, alg);

  const result = await verifyMessage(input.message, {
    // The key file is trusted for any keyid, unless --keyid names the one to accept.
    keys: (keyid) => (values.keyid === undefined || keyid === values.keyid ? key : undefined),
    requiredComponents: required,
    label,
    algorithms: [alg],
    requireCreated: false,
    clockSkew: 0,
    unknownFieldType: 'auto',
    ...(now === undefined ? {} : { now }),
    ...(maxAge === undefined ? {} : { maxAge }),
    ...(values.tag === undefined ? {} : { tag: values.tag }),
    ...(values['no-require-digest'] ? { requireDigest: false } : {}),
    ...(maxBodySize === undefined ? {} : { maxBodySize }),
    ...(input.request === undefined ? {} : { request: input.request }),
  });

  const words = [`verified ${result.label}`];
  if (result.keyid !== undefined) words.push(`keyid=${quote(result.keyid)}`);
  words.push(`alg=${result.alg}`);
  if (result.created !== undefined) words.push(`created=${result.created}`);
  if (result.expires !== undefined) words.push(`expires=${result.expires}`);
  if (result.tag !== undefined) words.push(`tag=${quote(result.tag)}`);
  words.push(`components=${result.components.join(' ')}`);
  const lines = [words.join(' ')];
  for (const digest of result.digests)
    lines.push(`digest: ${digest.field} (${digest.algorithms.join(', ')})`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

type Member = ReturnType<typeof parseSignatureInput>[number];

/**
 * The label to verify: --label, or the only signature. With several signatures the caller must
 * choose, since accepting "any one of them" would let an unwanted signature stand in. A member
 * whose alg parameter disagrees with --alg is refused before any key is used.
 */
function chooseLabel(parsed: ParsedHttpMessage, wanted: string | undefined, alg: string): string {
  const member = selectMember(parsed, wanted);
  const memberAlg = member.params.alg;
  if (memberAlg !== undefined && memberAlg !== alg) {
    throw new HttpSigError(
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
      `Signature ${quote(member.label)} has alg=${quote(String(memberAlg))} but --alg is ${alg}`,
      { label: member.label, parameter: 'alg' },
    );
  }
  return member.label;
}

function selectMember(parsed: ParsedHttpMessage, wanted: string | undefined): Member {
  const value = fieldValue(parsed, 'signature-input');
  const members = value === undefined ? [] : parseSignatureInput(value);
  const [first] = members;
  if (first === undefined) {
    throw new HttpSigError('ERR_HTTPSIG_MISSING_SIGNATURE', 'The message has no Signature-Input member');
  }
  const labels = members.map((m) => m.label).join(', ');
  if (wanted !== undefined) {
    const member = members.find((m) => m.label === wanted);
    if (member === undefined) {
      throw new HttpSigError(
        'ERR_HTTPSIG_MISSING_SIGNATURE',
        `The message has no signature labelled ${quote(wanted)} (it has: ${labels})`,
        { label: wanted },
      );
    }
    return member;
  }
  if (members.length > 1) {
    throw new HttpSigError(
      'ERR_HTTPSIG_POLICY',
      `The message carries ${members.length} signatures (${labels}); pick one with --label`,
    );
  }
  return first;
}

/** A Structured Field string, as values appear in Signature-Input. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}
