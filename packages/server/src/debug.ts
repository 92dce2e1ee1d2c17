/**
 * What the server signed over, for integrators chasing a signature that will not verify: the
 * base it computed and each covered component's value. Only with the `debug` option.
 */
import { createSignatureBase, parseSignatureInput, type RequestLike } from '@httpsig/core';
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
