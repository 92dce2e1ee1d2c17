/**
 * What the runtime offers, probed with WebCrypto directly (not through the library), so a
 * missing algorithm is reported as the runtime's, never hidden behind a library failure.
 */

const webCryptoAlgorithms = {
  'rsa-pss-sha512': {
    name: 'RSA-PSS',
    hash: 'SHA-512',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
  },
  'rsa-v1_5-sha256': {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
  },
  'hmac-sha256': { name: 'HMAC', hash: 'SHA-256', length: 256 },
  'ecdsa-p256-sha256': { name: 'ECDSA', namedCurve: 'P-256' },
  'ecdsa-p384-sha384': { name: 'ECDSA', namedCurve: 'P-384' },
  ed25519: { name: 'Ed25519' },
};

async function probe(check) {
  try {
    await check();
    return { available: true };
  } catch (error) {
    return {
      available: false,
      reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

/** Capabilities by name: `webcrypto:<alg>` for each algorithm, `fetch-server`, `quirk-server`, `streams`. */
export async function probeCapabilities({ fetchOrigin, quirksOrigin } = {}) {
  const subtle = globalThis.crypto?.subtle;
  const capabilities = {};
  for (const [alg, params] of Object.entries(webCryptoAlgorithms)) {
    capabilities[`webcrypto:${alg}`] = await probe(async () => {
      if (!subtle) throw new Error('no crypto.subtle');
      await subtle.generateKey(params, false, ['sign', 'verify']);
    });
  }
  capabilities['fetch-server'] = fetchOrigin
    ? { available: true }
    : { available: false, reason: 'no verifying server origin was given to the suite' };
  capabilities['quirk-server'] = quirksOrigin
    ? { available: true }
    : { available: false, reason: 'no field-bytes server origin was given to the suite' };
  capabilities.streams =
    typeof ReadableStream === 'function'
      ? { available: true }
      : { available: false, reason: 'no ReadableStream global' };
  return capabilities;
}
