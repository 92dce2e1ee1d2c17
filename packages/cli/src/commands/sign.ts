/** `httpsig sign`: add a signature to a raw HTTP message. */
import { parseArgs } from 'node:util';
import {
  type Algorithm,
  type DigestAlgorithm,
  defaultMaxBodySize,
  HttpSigError,
  parseSignatureInput,
  type SignatureParamsInput,
  signMessage,
} from '@httpsig/core';
import {
  bodyOptions,
  commonOptions,
  keyOptions,
  messageOptions,
  optionalFile,
  parseAlgorithm,
  parseByteCount,
  parseComponentList,
  parseDigestAlgorithm,
  parseInteger,
  parseLabel,
  parseScheme,
  requireOption,
  withUsage,
} from '../args';
import { UsageError } from '../errors';
import { fieldName, setFields } from '../http/write-message';
import type { CliIO } from '../io';
import { loadKey } from '../keys/load-key';
import { cavageOnlyFlags, parseFormat, rejectFlags, signCavageCommand } from './cavage';
import { loadMessageInput } from './message-input';

export const signUsage = `Usage: httpsig sign [--format rfc9421] --key FILE --alg ALG [--keyid ID]
                    (--input MEMBER | --components LIST [--label L] [--created UNIX|now | --no-created]
                     [--expires UNIX] [--nonce VALUE] [--with-alg] [--tag TAG])
                    [--digest sha-256|sha-512 | --no-digest] [--max-body-size BYTES]
                    [--request FILE] [--scheme https|http] [--replace] [--allow-weak-key] [FILE]
       httpsig sign --format cavage --key FILE --alg ALG [--keyid ID] [--headers LIST] [--hs2019]
                    [--authorization] [--created UNIX|now] [--expires UNIX] [--max-body-size BYTES]
                    [--allow-weak-key] [FILE]

Read a raw HTTP message from FILE (or stdin) and print it with the new signature added to its
Signature-Input and Signature fields. All other bytes, the body included, are left as they were.

A message with a body also gets a Content-Digest field (RFC 9530, sha-256 unless --digest says
otherwise), appended after the last field and covered by the signature. A Content-Digest already
on the message is checked against the body and covered instead. With --input the member says
what is covered: the digest is added or checked only when the member covers content-digest.

With --format cavage the request gets a draft-cavage-12 Signature header (or Authorization:
Signature with --authorization), plus a Date field when date is signed and absent and a
Digest field (SHA-256) for a body. --headers defaults to "(request-target) host date", with
"digest" for a body; the algorithm parameter is the key's legacy name (rsa-sha256, ...) or
hs2019 with --hs2019.

Options:
  --format F         rfc9421 (default) or cavage
  --headers LIST     cavage: headers and pseudo-headers to sign, e.g. '(request-target) host date'
  --hs2019           cavage: send algorithm="hs2019" instead of the legacy name
  --authorization    cavage: write Authorization: Signature ... instead of a Signature field
  --key FILE         private key: PEM, JWK, or for hmac-sha256 the base64 secret (or an oct JWK)
  --alg ALG          the signature algorithm the key is used with
  --keyid ID         keyid parameter (with --input: added when the member has none)
  --input MEMBER     sign exactly this Signature-Input member, e.g.
                     'sig1=("@method" "@path");created=1618884473;keyid="k"'
  --components LIST  covered components, separated by commas and/or spaces: bare names
                     (@method,content-type) or serialized ones ("@query-param";name="q")
  --label L          signature label (default sig1)
  --created T        created parameter: Unix seconds or "now" (the default)
  --no-created       leave out the created parameter
  --expires T        expires parameter (Unix seconds)
  --nonce VALUE      nonce parameter
  --with-alg         add the alg parameter
  --tag TAG          tag parameter
  --digest ALG       sha-256 or sha-512: the Content-Digest to add, even for an empty body
  --no-digest        add no Content-Digest (and do not check one the message has)
  --max-body-size N  refuse a body over N bytes for the digest (default ${defaultMaxBodySize})
  --request FILE     for a response: the request it answers (for ;req components)
  --scheme S         https (default) or http: the scheme of the target URI
  --allow-weak-key   accept RSA keys under 2048 bits and HMAC secrets under 32 bytes
  --replace          replace an existing signature with the same label instead of refusing
  -h, --help         show this help

With --components the parameters are written in the order created, expires, nonce, alg, keyid, tag.
`;

const rfc9421OnlyFlags = [
  'input',
  'components',
  'label',
  'no-created',
  'nonce',
  'with-alg',
  'tag',
  'replace',
  'digest',
  'no-digest',
  'request',
] as const;

const componentModeFlags = ['label', 'created', 'no-created', 'expires', 'nonce', 'with-alg', 'tag'] as const;

export async function sign(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = withUsage('sign', () =>
    parseArgs({
      args: [...argv],
      options: {
        ...commonOptions,
        ...keyOptions,
        ...messageOptions,
        ...bodyOptions,
        input: { type: 'string' },
        components: { type: 'string' },
        label: { type: 'string' },
        created: { type: 'string' },
        'no-created': { type: 'boolean' },
        expires: { type: 'string' },
        nonce: { type: 'string' },
        'with-alg': { type: 'boolean' },
        tag: { type: 'string' },
        replace: { type: 'boolean' },
        digest: { type: 'string' },
        'no-digest': { type: 'boolean' },
        format: { type: 'string' },
        headers: { type: 'string' },
        hs2019: { type: 'boolean' },
        authorization: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (values.help) {
    io.stdout.write(signUsage);
    return 0;
  }
  const file = optionalFile('sign', positionals);
  const format = parseFormat('sign', values.format);
  if (format === 'cavage') {
    rejectFlags('sign', values, rfc9421OnlyFlags, format);
    return signCavageCommand(values, file, io);
  }
  rejectFlags('sign', values, cavageOnlyFlags.sign, format);
  const keyFile = requireOption('sign', values.key, '--key');
  const alg = parseAlgorithm('sign', requireOption('sign', values.alg, '--alg'));
  const scheme = parseScheme('sign', values.scheme);
  const maxBodySize = parseByteCount('sign', values['max-body-size'], '--max-body-size');
  let plan: SignaturePlan;
  if (values.input !== undefined && values.components === undefined) {
    const conflicting = componentModeFlags.filter((flag) => values[flag] !== undefined);
    if (conflicting.length > 0) {
      throw new UsageError(
        `--${conflicting[0]} cannot be combined with --input (the member says it all)`,
        'sign',
      );
    }
    plan = planFromMember(values.input, alg, values.keyid);
  } else if (values.components !== undefined && values.input === undefined) {
    plan = planFromOptions(values.components, values, alg);
  } else {
    throw new UsageError('Give exactly one of --input and --components', 'sign');
  }
  const digest = digestChoice(values, plan, values.input !== undefined);

  const key = await loadKey(io, keyFile, {
    alg,
    purpose: 'sign',
    allowWeakKey: values['allow-weak-key'] === true,
    ...(values.keyid === undefined ? {} : { keyid: values.keyid }),
  });
  if (plan.params.keyid === undefined && values.input === undefined && key.keyid !== undefined) {
    // A JWK's kid names the key when --keyid does not; it goes where keyid belongs in the order.
    plan = { ...plan, params: orderParams({ ...plan.params, keyid: key.keyid }) };
  }

  const input = await loadMessageInput(io, 'sign', { file, requestFile: values.request, scheme });
  const result = await signMessage(input.message, {
    key,
    components: plan.components,
    label: plan.label,
    params: plan.params,
    replace: values.replace === true,
    unknownFieldType: 'auto',
    ...(digest === undefined ? {} : { digest }),
    ...(maxBodySize === undefined ? {} : { maxBodySize }),
    ...(input.request === undefined ? {} : { request: input.request }),
  });
  // `headers` lists Content-Digest (when added) first, so a new one lands before new signature fields.
  const fields = Object.entries(result.headers).map(([name, value]) => [fieldName(name), value] as const);
  io.stdout.write(setFields(input.parsed, fields));
  return 0;
}

/**
 * The `digest` option for signMessage: an algorithm, false for none, or undefined for the library's
 * default (a digest exactly when the message has a body). An exact member is never extended, so
 * it gets a digest only when it covers content-digest.
 */
function digestChoice(
  values: { digest?: string | undefined; 'no-digest'?: boolean | undefined },
  plan: SignaturePlan,
  exactMember: boolean,
): DigestAlgorithm | false | undefined {
  if (values.digest !== undefined && values['no-digest']) {
    throw new UsageError('--digest and --no-digest exclude each other', 'sign');
  }
  if (values['no-digest']) return false;
  const algorithm =
    values.digest === undefined ? undefined : parseDigestAlgorithm('sign', values.digest, '--digest');
  if (!exactMember || plan.components.some(isOwnContentDigest)) return algorithm;
  if (algorithm !== undefined) {
    throw new UsageError(
      '--digest needs the --input member to cover content-digest (the member says what is signed)',
      'sign',
    );
  }
  return false;
}

/** A serialized identifier of the message's own Content-Digest (not the request's, `;req`). */
function isOwnContentDigest(component: string): boolean {
  const name = '"content-digest"';
  if (!component.startsWith(name)) return false;
  // Parameter names: blank out quoted values, which may hold ";" or "=".
  const params = component.slice(name.length).replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return !params
    .split(';')
    .slice(1)
    .some((param) => param.split('=')[0] === 'req');
}

interface SignaturePlan {
  readonly label: string;
  readonly components: string[];
  readonly params: SignatureParamsInput;
}

/** --input: the member's label, components and parameters, exactly and in order. */
function planFromMember(member: string, alg: Algorithm, keyid: string | undefined): SignaturePlan {
  const members = parseSignatureInput(member);
  if (members.length !== 1) {
    throw new UsageError(
      `--input must hold exactly one Signature-Input member, got ${members.length}`,
      'sign',
    );
  }
  const { label, components, params } = members[0] as (typeof members)[number];
  const memberAlg = params.alg;
  if (memberAlg !== undefined && memberAlg !== alg) {
    throw new HttpSigError(
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
      `The member's alg parameter ${JSON.stringify(String(memberAlg))} disagrees with --alg ${alg}`,
      { label, parameter: 'alg' },
    );
  }
  const signed: SignatureParamsInput = { ...params };
  if (keyid !== undefined) {
    if (params.keyid === undefined) signed.keyid = keyid;
    else if (params.keyid !== keyid) {
      throw new UsageError(
        `--keyid "${keyid}" disagrees with the member's keyid parameter ${JSON.stringify(String(params.keyid))}`,
        'sign',
      );
    }
  }
  return { label, components: [...components], params: signed };
}

interface ComponentModeValues {
  label?: string | undefined;
  created?: string | undefined;
  'no-created'?: boolean | undefined;
  expires?: string | undefined;
  nonce?: string | undefined;
  'with-alg'?: boolean | undefined;
  keyid?: string | undefined;
  tag?: string | undefined;
}

/** --components: parameters from the options, in the order created, expires, nonce, alg, keyid, tag. */
function planFromOptions(list: string, values: ComponentModeValues, alg: Algorithm): SignaturePlan {
  const components = parseComponentList('sign', list, '--components');
  if (values.created !== undefined && values['no-created']) {
    throw new UsageError('--created and --no-created exclude each other', 'sign');
  }
  const params: SignatureParamsInput = {};
  if (!values['no-created']) {
    params.created =
      values.created === undefined || values.created === 'now'
        ? true
        : parseInteger('sign', values.created, '--created');
  }
  if (values.expires !== undefined) params.expires = parseInteger('sign', values.expires, '--expires');
  if (values.nonce !== undefined) params.nonce = values.nonce;
  if (values['with-alg']) params.alg = alg;
  if (values.keyid !== undefined) params.keyid = values.keyid;
  if (values.tag !== undefined) params.tag = values.tag;
  const label = values.label === undefined ? 'sig1' : parseLabel('sign', values.label, '--label');
  return { label, components, params };
}

const parameterOrder = ['created', 'expires', 'nonce', 'alg', 'keyid', 'tag'] as const;

function orderParams(params: SignatureParamsInput): SignatureParamsInput {
  const present = parameterOrder.filter((name) => params[name] !== undefined);
  return Object.fromEntries(present.map((name) => [name, params[name]])) as SignatureParamsInput;
}
