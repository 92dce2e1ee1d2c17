/** Failures as RFC 9457 problem documents with a stable code and nothing secret. */
import { type HttpSigError, httpStatusForError } from '@httpsig/core';
import type { DebugReport, Problem } from './types';

const titles: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
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
    ...(debug === undefined ? {} : { debug }),
  };
}
