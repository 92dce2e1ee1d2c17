/** Sending a refusal: the RFC 9457 problem document the verifier prepared, with its headers. */
import type { ServerResponse } from 'node:http';
import type { Problem } from '@httpsig/server';

export function sendProblem(
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  problem: Problem,
): void {
  // Plain Node calls, so that Express 4 and 5 send the same bytes and content type.
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // A body that was not read stays unread: close the connection instead of draining it.
  if (problem.code === 'ERR_HTTPSIG_BODY_TOO_LARGE' || problem.code === 'ERR_HTTPSIG_BODY_TIMEOUT') {
    res.setHeader('connection', 'close');
  }
  res.end(JSON.stringify(problem));
}

/** A parser read the body before the verifier and kept no copy: the digest cannot be checked. */
export const bodyUnavailableProblem: Problem = {
  type: 'about:blank',
  title: 'Internal Server Error',
  status: 500,
  detail:
    'A body parser read the request body before the signature verifier and kept no raw bytes: mount ' +
    'verifySignatures() before the body parsers, or give the parser { verify: captureRawBody }',
  code: 'ERR_HTTPSIG_BODY_UNAVAILABLE',
};
