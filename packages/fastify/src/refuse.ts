/** Refusals as RFC 9457 problem responses, sent as the exact JSON bytes (Fastify serializes nothing). */
import type { Refusal } from '@httpsig/server';
import type { FastifyReply } from 'fastify';

export type { Refusal };

/**
 * Answer with the problem. `closeConnection` when the body was not read to its end, so the
 * rest of it is never read: HTTP/1.1 only, as HTTP/2 forbids `Connection` and resets the stream.
 */
export function sendRefusal(reply: FastifyReply, refusal: Refusal, closeConnection: boolean): void {
  reply.code(refusal.status).headers(refusal.headers);
  if (closeConnection && reply.request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
  // A Buffer, so that Fastify neither serializes it again nor appends `; charset=utf-8`.
  reply.send(Buffer.from(JSON.stringify(refusal.problem)));
}
