/**
 * `timeout` over a chain of redirects. When axios follows redirects itself, one timer runs from the
 * first request to the last response; here every hop is a request of its own, so each later hop
 * gets the time that is left, and the error keeps the message of the caller's timeout.
 */
import axios, { type AxiosError, type InternalAxiosRequestConfig } from 'axios';

type Config = InternalAxiosRequestConfig;

export interface ChainTimeout {
  /** The timeout options for a hop sent now, or the timeout error when no time is left. */
  forHop(request: unknown): Partial<Config> | AxiosError;
}

export function chainTimeout(config: Config): ChainTimeout {
  const started = Date.now();
  const timeout = Number.parseInt(String(config.timeout), 10);
  // Axios's own message for the caller's timeout, not for the time that is left.
  const message = config.timeoutErrorMessage || `timeout of ${config.timeout}ms exceeded`;
  return {
    forHop(request) {
      if (!(timeout > 0)) return {};
      const left = timeout - (Date.now() - started);
      if (left > 0) return { timeout: left, timeoutErrorMessage: message };
      const code = config.transitional?.clarifyTimeoutError
        ? axios.AxiosError.ETIMEDOUT
        : axios.AxiosError.ECONNABORTED;
      return new axios.AxiosError(message, code, config, request);
    },
  };
}
