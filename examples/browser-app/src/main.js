/**
 * The page: get the signing key (from IndexedDB, or new and registered with the API), then call
 * the API with a signing fetch. Each step is written to #log; `data-done` marks the end.
 */
import { exportKey, generateKey, importKey } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { loadKey, saveKey } from './key-store.js';

const alg = 'ecdsa-p256-sha256';
const output = /** @type {HTMLElement} */ (document.getElementById('log'));
/** @param {string} line */
const log = (line) => {
  output.textContent += `${line}\n`;
};

/** The key from IndexedDB, or a new one: generated non-extractable, registered, then stored. */
async function clientKey() {
  const stored = await loadKey();
  if (stored) {
    log(`key ${stored.keyid} loaded from IndexedDB`);
    return importKey(stored.privateKey, { alg, keyid: stored.keyid });
  }
  const { privateKey, publicKey } = await generateKey(alg);
  // Registration hands the API the public key; the private one never leaves WebCrypto.
  const registered = await fetch('/api/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(await exportKey(publicKey, 'jwk')),
  });
  const { keyid } = await registered.json();
  await saveKey({ keyid, alg, privateKey: /** @type {CryptoKey} */ (privateKey.cryptoKey) });
  log(`key ${keyid} generated, registered and stored in IndexedDB`);
  return importKey(/** @type {CryptoKey} */ (privateKey.cryptoKey), { alg, keyid });
}

async function run() {
  const key = await clientKey();
  log(`private key extractable: ${key.cryptoKey?.extractable}`);
  const signedFetch = createSignedFetch({ key });
  const response = await signedFetch('/api/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ item: 'book', quantity: 1 }),
  });
  log(`signed POST /api/orders: ${response.status} ${await response.text()}`);
  const unsigned = await fetch('/api/orders', { method: 'POST', body: '{}' });
  log(`unsigned POST /api/orders: ${unsigned.status} ${(await unsigned.json()).code}`);
}

run()
  .catch((error) => log(`error: ${error?.code ?? ''} ${error?.message ?? error}`))
  .finally(() => {
    output.dataset.done = 'true';
  });
