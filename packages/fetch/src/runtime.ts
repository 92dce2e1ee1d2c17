/**
 * Whether `redirect: 'manual'` shows the redirect to code. Browsers (pages and workers) return
 * an opaque response without `Location`; servers and edge runtimes return the real one.
 */
export function redirectsAreVisible(): boolean {
  const scope = globalThis as { document?: unknown; WorkerGlobalScope?: unknown; importScripts?: unknown };
  return (
    scope.document === undefined && scope.WorkerGlobalScope === undefined && scope.importScripts === undefined
  );
}
