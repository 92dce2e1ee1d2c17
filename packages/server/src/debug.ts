/**
 * What the server signed over, for integrators chasing a signature that will not verify: the
 * base it computed and each covered component's value. Only with the `debug` option.
 */
import {
  createCavageSigningString,
  createSignatureBase,
  parseCavageSignature,
  parseSignatureInput,
  type RequestLike,
} from '@httpsig/core';
import type { DebugReport } from './types';

export function debugReport(
  message: RequestLike,
  fields: ReadonlyMap<string, readonly string[]>,
  label?: string,
): DebugReport {
  const targetUri = String(message.url);
  try {
    const members = parseSignatureInput((fields.get('signature-input') ?? []).join(', '));
    const member = members.find((m) => m.label === label) ?? members[0];
    if (!member) return { targetUri };
    const signatureBase = createSignatureBase(message, { label: member.label });
    // The base has one line per covered component, in order, then @signature-params.
    const lines = signatureBase.split('\n');
    const components = member.components.map((component, i) => ({
      component,
      value: (lines[i] ?? '').slice(component.length + 2),
    }));
    return { targetUri, signatureBase, components };
  } catch {
    // A base that cannot be built (missing component, bad field) is described by the error itself.
    return { targetUri };
  }
}

/** The same report for a draft-cavage signature: its signing string, one `name: value` line per header. */
export function cavageDebugReport(
  message: RequestLike,
  fields: ReadonlyMap<string, readonly string[]>,
  defaultHeaders: readonly string[] | undefined,
): DebugReport {
  const targetUri = String(message.url);
  try {
    const value =
      fields.get('signature')?.[0] ??
      (fields.get('authorization') ?? []).find((v) => /^\s*signature[ \t]/i.test(v));
    if (value === undefined) return { targetUri };
    const params = parseCavageSignature(value);
    const headers = params.headers ?? (defaultHeaders ?? ['(created)']).map((h) => h.toLowerCase());
    const signatureBase = createCavageSigningString(message, headers, {
      ...(params.algorithm === undefined ? {} : { algorithm: params.algorithm }),
      ...(params.createdText === undefined ? {} : { created: params.createdText }),
      ...(params.expiresText === undefined ? {} : { expires: params.expiresText }),
    });
    const lines = signatureBase.split('\n');
    const components = headers.map((component, i) => ({
      component,
      value: (lines[i] ?? '').slice(component.length + 2),
    }));
    return { targetUri, signatureBase, components };
  } catch {
    return { targetUri };
  }
}
