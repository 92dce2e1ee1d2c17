/**
 * Which axios adapter sends the request. The adapters differ in how the URL reaches the wire and
 * in a few header rules, so the signature has to know which one runs.
 */
import type { AxiosAdapter } from 'axios';

/** `http`: Node's http adapter; `xhr`: XMLHttpRequest; `web`: the fetch adapter or a custom one. */
export type AdapterKind = 'http' | 'xhr' | 'web';

export function adapterKind(adapter: AxiosAdapter): AdapterKind {
  // axios names its built-in adapters; the fetch adapter is built per environment and unnamed.
  const name = (adapter as { adapterName?: unknown }).adapterName;
  if (name === 'http' || name === 'xhr') return name;
  return 'web';
}

/** Whether the adapter sends a body with this method (browsers drop it for GET and HEAD). */
export function sendsBody(kind: AdapterKind, method: string): boolean {
  return kind === 'http' || (method !== 'GET' && method !== 'HEAD');
}
