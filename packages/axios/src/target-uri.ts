/**
 * The target URI exactly as the adapter puts it on the wire, after `baseURL`, `params` and the
 * `paramsSerializer` are applied.
 */
import axios, { type Axios, type InternalAxiosRequestConfig } from 'axios';
import type { AdapterKind } from './adapter-kind';

// An Axios without defaults: its getUri is axios's own buildFullPath + buildURL and nothing else
// (the global axios.defaults must not leak a baseURL or params into the signed URL).
let builder: Axios | undefined;
function urlBuilder(): Axios {
  builder ??= new axios.Axios({});
  return builder;
}

/** The base a relative URL resolves against in a browser (the document's base URL). */
function documentBase(): string | undefined {
  const scope = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  return scope.document?.baseURI ?? scope.location?.href;
}

export function wireTargetUri(config: InternalAxiosRequestConfig, kind: AdapterKind): string {
  const { baseURL, url, allowAbsoluteUrls, params, paramsSerializer } = config;
  const build = urlBuilder();
  if (kind === 'http') {
    // The http adapter parses the full path with WHATWG URL, then appends the serialized params
    // to pathname + search as they are: the params are not re-encoded.
    const fullPath = build.getUri({ baseURL, url, allowAbsoluteUrls });
    const parsed = new URL(fullPath, config.socketPath ? 'http://localhost' : undefined);
    const path = build.getUri({ url: parsed.pathname + parsed.search, params, paramsSerializer });
    return `${parsed.protocol}//${parsed.host}${path}`;
  }
  // XMLHttpRequest and fetch parse the whole URL (params included) with WHATWG URL.
  const parsed = new URL(
    build.getUri({ baseURL, url, allowAbsoluteUrls, params, paramsSerializer }),
    documentBase(),
  );
  parsed.hash = '';
  return parsed.href;
}
