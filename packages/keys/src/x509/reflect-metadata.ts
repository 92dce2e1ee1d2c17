/**
 * @peculiar/x509 depends on tsyringe, which refuses to load unless `Reflect.getMetadata` exists
 * (normally provided by the `reflect-metadata` package, imported by the application). This is the
 * subset of that API tsyringe uses, installed only when no implementation is present, so the
 * X.509 helpers work without the application importing a polyfill first. An application that
 * does load `reflect-metadata` keeps its own: this one never replaces an existing one.
 */

type Store = Map<string | symbol | undefined, Map<unknown, unknown>>;

const metadata = new WeakMap<object, Store>();

function table(target: object, property: string | symbol | undefined, create: boolean) {
  let store = metadata.get(target);
  if (store === undefined) {
    if (!create) return undefined;
    store = new Map();
    metadata.set(target, store);
  }
  let entries = store.get(property);
  if (entries === undefined && create) {
    entries = new Map();
    store.set(property, entries);
  }
  return entries;
}

function chain(target: object): object[] {
  const objects: object[] = [];
  for (let current: object | null = target; current !== null; current = Object.getPrototypeOf(current)) {
    objects.push(current);
  }
  return objects;
}

const api = {
  defineMetadata(key: unknown, value: unknown, target: object, property?: string | symbol): void {
    table(target, property, true)?.set(key, value);
  },
  hasOwnMetadata(key: unknown, target: object, property?: string | symbol): boolean {
    return table(target, property, false)?.has(key) ?? false;
  },
  getOwnMetadata(key: unknown, target: object, property?: string | symbol): unknown {
    return table(target, property, false)?.get(key);
  },
  hasMetadata(key: unknown, target: object, property?: string | symbol): boolean {
    return chain(target).some((object) => table(object, property, false)?.has(key) ?? false);
  },
  getMetadata(key: unknown, target: object, property?: string | symbol): unknown {
    for (const object of chain(target)) {
      const entries = table(object, property, false);
      if (entries?.has(key)) return entries.get(key);
    }
    return undefined;
  },
  metadata(key: unknown, value: unknown) {
    return (target: object, property?: string | symbol) => api.defineMetadata(key, value, target, property);
  },
};

/** Install the metadata functions on `Reflect` unless an implementation is already there. */
export function ensureReflectMetadata(): void {
  const reflect = Reflect as unknown as Record<string, unknown>;
  if (typeof reflect.getMetadata === 'function') return;
  for (const [name, fn] of Object.entries(api)) {
    if (typeof reflect[name] !== 'function') reflect[name] = fn;
  }
}
