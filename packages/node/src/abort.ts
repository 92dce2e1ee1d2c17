/** Abort signals as undici takes them: a web `AbortSignal` or an `EventEmitter` that emits 'abort'. */
import type { EventEmitter } from 'node:events';

function abortReason(signal: unknown): unknown {
  return (signal as Partial<AbortSignal>).reason ?? new DOMException('The request was aborted', 'AbortError');
}

/** Call `listener` once `signal` aborts (on a later tick when it already has); returns the removal. */
export function whenAborted(signal: unknown, listener: (reason: unknown) => void): () => void {
  if (typeof signal !== 'object' || signal === null) return () => undefined;
  const handle = () => listener(abortReason(signal));
  const web = signal as Partial<AbortSignal>;
  if (web.aborted === true) {
    queueMicrotask(handle);
    return () => undefined;
  }
  if (typeof web.addEventListener === 'function' && typeof web.removeEventListener === 'function') {
    web.addEventListener('abort', handle, { once: true });
    return () => web.removeEventListener?.('abort', handle);
  }
  const emitter = signal as Partial<EventEmitter>;
  if (typeof emitter.once === 'function' && typeof emitter.removeListener === 'function') {
    emitter.once('abort', handle);
    return () => emitter.removeListener?.('abort', handle);
  }
  return () => undefined;
}
