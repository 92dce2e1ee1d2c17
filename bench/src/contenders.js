/**
 * The contenders for one algorithm, each with a `sign()` and a `verify()` over the same workload,
 * and a check that its signatures are valid before anything is timed.
 */
import * as nodeCrypto from 'node:crypto';
import { importKey, signMessage, verifyMessage } from '@httpsig/core';
import { createSignatureSync, verifySignature } from 'http-message-sig';
import { createSigner, createVerifier, httpbis } from 'http-message-signatures';
import {
  body,
  components,
  created,
  expectedBase,
  fields,
  keyid,
  keyMaterial,
  label,
  requestWithout,
  url,
} from './workload.js';

const subtle = globalThis.crypto.subtle;

/** Node's WebCrypto behind another object: core sees a foreign provider and keeps the WebCrypto path. */
export const wrappedProvider = {
  getRandomValues: (array) => globalThis.crypto.getRandomValues(array),
  subtle: Object.fromEntries(
    ['importKey', 'exportKey', 'generateKey', 'sign', 'verify', 'digest', 'deriveBits'].map((name) => [
      name,
      subtle[name].bind(subtle),
    ]),
  ),
};

/** node:crypto parameters per algorithm (the same as core's registry). */
const nodeParams = {
  ed25519: { digest: null, options: {} },
  'ecdsa-p256-sha256': { digest: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  'rsa-pss-sha512': {
    digest: 'sha512',
    options: { padding: nodeCrypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 },
  },
  'rsa-v1_5-sha256': { digest: 'sha256', options: {} },
};

const webCryptoParams = {
  ed25519: { importParams: { name: 'Ed25519' }, signParams: { name: 'Ed25519' } },
  'ecdsa-p256-sha256': {
    importParams: { name: 'ECDSA', namedCurve: 'P-256' },
    signParams: { name: 'ECDSA', hash: 'SHA-256' },
  },
  'rsa-pss-sha512': {
    importParams: { name: 'RSA-PSS', hash: 'SHA-512' },
    signParams: { name: 'RSA-PSS', saltLength: 64 },
  },
  'rsa-v1_5-sha256': {
    importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    signParams: { name: 'RSASSA-PKCS1-v1_5' },
  },
  'hmac-sha256': { importParams: { name: 'HMAC', hash: 'SHA-256' }, signParams: { name: 'HMAC' } },
};

/** Raw node:crypto sign/verify over prebuilt bytes, for one algorithm. */
function rawNode(alg, material) {
  if (alg === 'hmac-sha256') {
    const secret = nodeCrypto.createSecretKey(material.secret);
    const mac = (data) => nodeCrypto.createHmac('sha256', secret).update(data).digest();
    return {
      sign: mac,
      verify: (data, signature) => {
        const expected = mac(data);
        return expected.length === signature.length && nodeCrypto.timingSafeEqual(expected, signature);
      },
    };
  }
  const { digest, options } = nodeParams[alg];
  const privateKey = { key: nodeCrypto.createPrivateKey(material.privatePem), ...options };
  const publicKey = { key: nodeCrypto.createPublicKey(material.publicPem), ...options };
  return {
    sign: (data) => nodeCrypto.sign(digest, data, privateKey),
    verify: (data, signature) => nodeCrypto.verify(digest, data, publicKey, signature),
  };
}

function pemBody(pem) {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

async function rawWebCrypto(alg, material) {
  const { importParams, signParams } = webCryptoParams[alg];
  const [privateKey, publicKey] =
    alg === 'hmac-sha256'
      ? await Promise.all([
          subtle.importKey('raw', material.secret, importParams, false, ['sign', 'verify']),
        ]).then(([key]) => [key, key])
      : await Promise.all([
          subtle.importKey('pkcs8', pemBody(material.privatePem), importParams, false, ['sign']),
          subtle.importKey('spki', pemBody(material.publicPem), importParams, false, ['verify']),
        ]);
  return {
    sign: (data) => subtle.sign(signParams, privateKey, data),
    verify: (data, signature) => subtle.verify(signParams, publicKey, signature, data),
  };
}

/** `@httpsig/core` keys: through the Node path (Node's WebCrypto) or WebCrypto (a foreign provider). */
async function coreKeys(alg, material, provider) {
  const options = { alg, keyid, ...(provider === undefined ? {} : { crypto: provider }) };
  if (alg === 'hmac-sha256') {
    const key = await importKey(new Uint8Array(material.secret), options);
    return { privateKey: key, publicKey: key };
  }
  return {
    privateKey: await importKey(material.privatePem, options),
    publicKey: await importKey(material.publicPem, options),
  };
}

function signedHeaders(result) {
  return { 'signature-input': result.signatureInput, signature: result.signature };
}

function coreContender(name, keys, alg) {
  const signOptions = {
    key: keys.privateKey,
    components,
    params: { created, keyid, alg },
    digest: false,
  };
  const verifyOptions = {
    keys: { [keyid]: keys.publicKey },
    requiredComponents: components,
    algorithms: [alg],
    now: created + 1,
  };
  return {
    name,
    sign: () => signMessage(requestWithout(), signOptions),
    signatureOf: async () => signedHeaders(await signMessage(requestWithout(), signOptions)),
    verifier: (headers) => () => verifyMessage({ ...requestWithout(headers), body }, verifyOptions),
    verifies: async (headers) => {
      try {
        await verifyMessage({ ...requestWithout(headers), body }, verifyOptions);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** http-message-signatures (dhensby), with its built-in node:crypto signer and verifier. */
function httpMessageSignatures(alg, material) {
  const secretOrPrivate =
    alg === 'hmac-sha256' ? material.secret : nodeCrypto.createPrivateKey(material.privatePem);
  const secretOrPublic =
    alg === 'hmac-sha256' ? material.secret : nodeCrypto.createPublicKey(material.publicPem);
  const signConfig = {
    key: createSigner(secretOrPrivate, alg, keyid),
    name: label,
    fields: components,
    params: ['created', 'keyid', 'alg'],
    paramValues: { created: new Date(created * 1000) },
  };
  const verifyKey = { id: keyid, algs: [alg], verify: createVerifier(secretOrPublic, alg) };
  const verifyConfig = { keyLookup: async () => verifyKey, all: true };
  const lower = (headers) =>
    Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const sign = () => httpbis.signMessage(signConfig, { method: 'POST', url, headers: { ...fields } });
  return {
    name: 'http-message-signatures',
    sign,
    signatureOf: async () => {
      const headers = lower((await sign()).headers);
      return { 'signature-input': headers['signature-input'], signature: headers.signature };
    },
    verifier: (headers) => () => httpbis.verifyMessage(verifyConfig, requestWithout(headers)),
    verifies: async (headers) => {
      try {
        return (await httpbis.verifyMessage(verifyConfig, requestWithout(headers))) === true;
      } catch {
        return false;
      }
    },
  };
}

/** http-message-sig (Cloudflare), with a synchronous node:crypto signer and verifier. */
function httpMessageSig(alg, raw) {
  const signer = { algorithm: alg, sign: (data) => raw.sign(data) };
  const verifier = { algorithm: alg, verify: (data, signature) => raw.verify(data, signature) };
  const descriptor = (headers) => ({
    kind: 'request',
    method: 'POST',
    targetUri: url,
    fields: Object.entries({ ...fields, ...headers }).map(([name, value]) => ({ name, value })),
  });
  const signOptions = { label, components, parameters: { created, keyid, alg }, signer };
  const verifyOptions = {
    label,
    policy: { algorithms: [alg], requiredComponents: components, requiredParameters: [], now: created + 1 },
    resolveVerifier: () => verifier,
  };
  const sign = () => createSignatureSync(descriptor({}), signOptions);
  return {
    name: 'http-message-sig',
    sign,
    signatureOf: async () => {
      const result = sign();
      return { 'signature-input': result.signatureInput, signature: result.signature };
    },
    verifier: (headers) => () => verifySignature(descriptor(headers), verifyOptions),
    verifies: async (headers) => {
      try {
        await verifySignature(descriptor(headers), verifyOptions);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Every contender for `alg`. The raw ones sign the prebuilt base. */
export async function contendersFor(alg) {
  const material = keyMaterial(alg);
  const base = new TextEncoder().encode(expectedBase(alg));
  const node = rawNode(alg, material);
  const web = await rawWebCrypto(alg, material);
  const nodeSignature = node.sign(base);
  const webSignature = new Uint8Array(await web.sign(base));
  const raw = [
    {
      name: 'raw node:crypto',
      raw: true,
      sign: () => node.sign(base),
      verify: () => node.verify(base, nodeSignature),
      check: async () => node.verify(base, nodeSignature) && node.verify(base, webSignature),
    },
    {
      name: 'raw WebCrypto',
      raw: true,
      sign: () => web.sign(base),
      verify: () => web.verify(base, webSignature),
      check: async () => (await web.verify(base, webSignature)) && (await web.verify(base, nodeSignature)),
    },
  ];
  const messages = [
    coreContender('@httpsig/core (Node path)', await coreKeys(alg, material), alg),
    coreContender('@httpsig/core (WebCrypto path)', await coreKeys(alg, material, wrappedProvider), alg),
    httpMessageSignatures(alg, material),
    httpMessageSig(alg, node),
  ];
  return { raw, messages, rawVerify: (data, signature) => node.verify(data, signature) };
}
