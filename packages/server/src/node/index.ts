/** @httpsig/server/node — Node `IncomingMessage` helpers for the Express and Koa verifiers. */
export { incomingRequestInfo } from './incoming';
export { defaultBodyTimeout, hasContent, type ReadRawBodyOptions, readRawBody, replayBody } from './raw-body';
