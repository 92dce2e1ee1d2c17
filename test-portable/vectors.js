/**
 * The vendored specification vectors, imported as JSON (byte for byte as packages/core/test/vectors
 * holds them): RFC 9421 signatures and Appendix B.1 keys, RFC 9530 digests.
 */
import keys from '../packages/core/test/vectors/rfc9421-keys.json' with { type: 'json' };
import rfc9421 from '../packages/core/test/vectors/rfc9421-vectors.json' with { type: 'json' };
import rfc9530 from '../packages/core/test/vectors/rfc9530-vectors.json' with { type: 'json' };

export const keyVectors = keys.keys;
export const signatureVectors = rfc9421.signatures;
export const contentDigestVectors = rfc9421.contentDigests;
export const sampleDigests = rfc9530.sampleDigests;

/** The algorithm each RFC 9421 test key is used with. */
export const keyAlgorithms = {
  'test-key-rsa': 'rsa-v1_5-sha256',
  'test-key-rsa-pss': 'rsa-pss-sha512',
  'test-key-ecc-p256': 'ecdsa-p256-sha256',
  'test-key-ed25519': 'ed25519',
  'test-shared-secret': 'hmac-sha256',
};

export function keyVector(keyid) {
  const found = keyVectors.find((k) => k.keyid === keyid);
  if (!found) throw new Error(`no key vector ${keyid}`);
  return found;
}
