/** Structured types of registered fields, so `;sf` and `;key` work on them without configuration. */
import type { StructuredFieldType } from '../base/types';

export const knownFieldTypes: Readonly<Record<string, StructuredFieldType>> = Object.freeze({
  'accept-signature': 'dictionary',
  'cache-status': 'list',
  'cdn-cache-control': 'dictionary',
  'client-cert': 'item',
  'client-cert-chain': 'list',
  'content-digest': 'dictionary',
  'proxy-status': 'list',
  priority: 'dictionary',
  'repr-digest': 'dictionary',
  signature: 'dictionary',
  'signature-agent': 'dictionary',
  'signature-input': 'dictionary',
  'want-content-digest': 'dictionary',
  'want-repr-digest': 'dictionary',
});
