/** The message shapes the library accepts. */

/**
 * Header fields: a Web `Headers`, a record of name → value or values, or `[name, value]` pairs.
 * Use a record or pairs when field lines matter (the `bs` parameter): `Headers` joins repeated lines.
 */
export type HeadersInput =
  | Headers
  | Readonly<Record<string, string | readonly string[] | number | undefined>>
  | Iterable<readonly [string, string] | readonly string[]>;

/** A request as a plain object. */
export interface RequestLike {
  method: string;
  /** The absolute target URI, e.g. `https://example.com/foo?a=b`. */
  url: string | URL;
  headers?: HeadersInput;
  body?: unknown;
  /** Trailer fields, for components with the `tr` parameter. */
  trailers?: HeadersInput;
  /**
   * The request target exactly as sent on the request line, when it is not origin-form
   * (absolute-form `https://host/p`, authority-form `host:443`, asterisk-form `*`).
   * @default path and query of `url` (origin-form)
   */
  target?: string;
}

/** A response as a plain object. */
export interface ResponseLike {
  status: number;
  headers?: HeadersInput;
  body?: unknown;
  trailers?: HeadersInput;
  /** The request this response answers, for components with the `req` parameter. */
  request?: RequestLike | Request;
}

/** Anything that can be signed or verified. */
export type HttpMessage = Request | Response | RequestLike | ResponseLike;
