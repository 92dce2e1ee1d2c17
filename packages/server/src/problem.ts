/** Failures as RFC 9457 problem documents with a stable code and nothing secret. */
import { HttpSigError, httpStatusForError } from '@httpsig/core';
import type { DebugReport, Problem, VerificationOutcome } from './types';

/** A refusal ready to send: status, headers and problem document. */
export type Refusal = Extract<VerificationOutcome, { ok: false }>;

const titles: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  408: 'Request Timeout',
  413: 'Content Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemFor(error: HttpSigError, debug?: DebugReport): Problem {
  const status = httpStatusForError[error.code] ?? 400;
  return {
    type: 'about:blank',
    title: titles[status] ?? 'Error',
    status,
    detail: error.message,
    code: error.code,
    ...(error.label === undefined ? {} : { label: error.label }),
    ...(error.component === undefined ? {} : { component: error.component }),
    ...(error.parameter === undefined ? {} : { parameter: error.parameter }),
    ...(error.limit === undefined ? {} : { limit: error.limit }),
    ...(debug === undefined ? {} : { debug }),
  };
}

/** A refusal for an error raised outside the verifier (a body over the limit, a consumed body). */
export function refusalFor(error: HttpSigError): Refusal {
  const problem = problemFor(error);
  return {
    ok: false,
    error,
    status: problem.status,
    headers: { 'content-type': 'application/problem+json' },
    problem,
  };
}

/** The 500 sent when a response could not be signed; the reason goes to the server's log, not the client. */
export function signingFailed(): Refusal {
  return refusalFor(new HttpSigError('ERR_HTTPSIG_SIGNING_FAILED', 'The response could not be signed'));
}
