/**
 * @httpsig/fastify — a Fastify plugin that verifies HTTP Message Signatures (RFC 9421) and the
 * body's `Content-Digest` (RFC 9530) before any body parser or handler runs, and signs responses.
 */
import { httpSignatures } from './plugin';

export type { HttpSignaturesOptions, RoutePolicy, RouteSignatureConfig } from './types';
export { httpSignatures };
export default httpSignatures;
