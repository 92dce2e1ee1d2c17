/** Which signature scheme an origin accepts: the double-knock memory and refusal detection. */

/** The signature schemes a request can carry. */
export type SignatureScheme = 'rfc9421' | 'cavage';

/** A store for the scheme each origin accepted, e.g. backed by localStorage or a database. */
export interface SchemeMemory {
  get(origin: string): SignatureScheme | undefined;
  set(origin: string, scheme: SignatureScheme): void;
}

/** The most origins remembered in memory; the least recently used one is forgotten first. */
export const maxRememberedOrigins = 1000;

/** A bounded least-recently-used map of origin → scheme (Map keeps insertion order). */
export class SchemeLru implements SchemeMemory {
  readonly #entries = new Map<string, SignatureScheme>();
  readonly #max: number;

  constructor(max = maxRememberedOrigins) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(origin: string): SignatureScheme | undefined {
    const scheme = this.#entries.get(origin);
    if (scheme !== undefined) {
      this.#entries.delete(origin);
      this.#entries.set(origin, scheme);
    }
    return scheme;
  }

  set(origin: string, scheme: SignatureScheme): void {
    this.#entries.delete(origin);
    this.#entries.set(origin, scheme);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}

/**
 * Problem codes of a 400 that mean "this is not a signature I can read" rather than "your
 * signature is wrong": the other scheme may succeed. A cavage-only server reads an RFC 9421
 * `Signature` field as unparseable, an RFC 9421 server finds no Signature-Input.
 */
const wrongSchemeCodes = new Set([
  'ERR_HTTPSIG_MISSING_SIGNATURE',
  'ERR_HTTPSIG_PARSE',
  'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
  'ERR_HTTPSIG_UNSUPPORTED_DIGEST',
]);

/** Whether a response refuses the signature scheme, so the other one is worth a try. */
export async function refusesScheme(response: Response): Promise<boolean> {
  if (response.status === 401 || response.status === 403) return true;
  if (response.status !== 400) return false;
  const type = response.headers.get('content-type') ?? '';
  if (!/^application\/(problem\+)?json\b/i.test(type)) return false;
  try {
    // A clone, so a 400 that is returned after all still has its body.
    const problem = (await response.clone().json()) as { code?: unknown };
    return typeof problem?.code === 'string' && wrongSchemeCodes.has(problem.code);
  } catch {
    return false;
  }
}
