/**
 * `node:crypto` where the runtime has it (Node ≥ 20.16, also Deno and Bun), reached through
 * `process.getBuiltinModule` rather than an import so that browser and worker bundles never
 * reference it. Only the few members the library uses are typed here.
 */

export interface NodeKeyObject {
  readonly type: string;
}

export interface NodeHmac {
  update(data: Uint8Array): NodeHmac;
  digest(): Uint8Array;
}

export interface NodeSignKeyInput {
  key: NodeKeyObject;
  padding?: number;
  saltLength?: number;
  dsaEncoding?: 'ieee-p1363' | 'der';
}

export interface NodeCryptoModule {
  readonly webcrypto: { readonly subtle: SubtleCrypto };
  readonly KeyObject: { from(key: CryptoKey): NodeKeyObject };
  readonly constants: { readonly RSA_PKCS1_PSS_PADDING: number };
  sign(digest: string | null, data: Uint8Array, key: NodeKeyObject | NodeSignKeyInput): Uint8Array;
  verify(
    digest: string | null,
    data: Uint8Array,
    key: NodeKeyObject | NodeSignKeyInput,
    signature: Uint8Array,
  ): boolean;
  createHmac(digest: string, key: NodeKeyObject): NodeHmac;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

let cached: NodeCryptoModule | null | undefined;

/** The `node:crypto` module, or undefined where there is none (browsers, workers). Looked up once. */
export function nodeCrypto(): NodeCryptoModule | undefined {
  if (cached === undefined) cached = lookup() ?? null;
  return cached ?? undefined;
}

interface ProcessLike {
  getBuiltinModule?: (id: string) => unknown;
  versions?: Record<string, string | undefined>;
}

let builtin: unknown;

/**
 * `node:crypto` as the runtime gives it (Node, and Deno's and Bun's emulations), untyped, or
 * undefined where there is none. Looked up once; each user checks the members it needs.
 */
export function builtinCrypto(): unknown {
  if (builtin === undefined) {
    try {
      const processLike = (globalThis as { process?: ProcessLike }).process;
      builtin = processLike?.getBuiltinModule?.('node:crypto') ?? null;
    } catch {
      builtin = null;
    }
  }
  return builtin ?? undefined;
}

function lookup(): NodeCryptoModule | undefined {
  // Node only: Deno and Bun emulate node:crypto, but their KeyObject/CryptoKey bridges differ,
  // and their WebCrypto path is already tested.
  const versions = (globalThis as { process?: ProcessLike }).process?.versions;
  if (versions?.node === undefined || versions.bun !== undefined || versions.deno !== undefined)
    return undefined;
  const module = builtinCrypto() as NodeCryptoModule | undefined;
  const usable =
    typeof module?.sign === 'function' &&
    typeof module.verify === 'function' &&
    typeof module.createHmac === 'function' &&
    typeof module.KeyObject?.from === 'function' &&
    module.webcrypto?.subtle !== undefined;
  return usable ? module : undefined;
}

/** The major version of Node running this code, or 0 elsewhere. */
export function nodeMajorVersion(): number {
  const version = (globalThis as { process?: ProcessLike }).process?.versions?.node;
  return version === undefined ? 0 : Number.parseInt(version, 10);
}
