/** @httpsig/server/node — Node `IncomingMessage` helpers for the Express and Koa verifiers. */
export { incomingRequestInfo } from './incoming';
export { hasContent, readRawBody, replayBody } from './raw-body';
