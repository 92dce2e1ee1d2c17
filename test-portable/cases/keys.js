/**
 * Key import in every form importKey documents: PEM (PKCS#1, PKCS#8 with the RSASSA-PSS OID, SPKI,
 * SEC1), DER bytes, JWK objects and JSON text, HMAC secrets as base64 and raw bytes, and CryptoKeys.
 * Keys imported from different forms of the same material must agree: a signature made with one
 * verifies with the others, and deterministic algorithms give identical bytes.
 */
import { assert, assertBytes, assertEqual, assertRejects } from '../harness.js';
import { base64ToBytes } from '../messages.js';
import { keyAlgorithms, keyVectors } from '../vectors.js';

const probe = new TextEncoder().encode('"@method": POST\n"@signature-params": ("@method")');
const deterministic = new Set(['rsa-v1_5-sha256', 'hmac-sha256', 'ed25519']);

/** DER bytes of a PEM document (the base64 between the armour lines). */
function pemToDer(pem) {
  return base64ToBytes(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
}

async function assertAgree(signers, verifiers, alg, what) {
  let first;
  for (const [signerForm, signer] of signers) {
    const signature = await signer.sign(probe);
    if (deterministic.has(alg)) {
      if (first === undefined) first = signature;
      else assertBytes(signature, first, `${what}: ${signerForm} signature equals the first form's`);
    }
    for (const [verifierForm, verifier] of verifiers) {
      assert(
        await verifier.verify(probe, signature),
        `${what}: ${verifierForm} verifies ${signerForm}'s signature`,
      );
    }
  }
}

export function keyCases(t, { core, setKeys }) {
  t.test('keys: the RFC 9421 Appendix B.1 keys import from PEM (PKCS#1, PKCS#8, SPKI, SEC1)', async () => {
    const privateKeys = {};
    const publicKeys = {};
    for (const k of keyVectors) {
      const alg = keyAlgorithms[k.keyid];
      // A key whose algorithm this runtime's WebCrypto lacks is left out; its tests skip by capability.
      if (!t.has(`webcrypto:${alg}`)) continue;
      if (alg === 'hmac-sha256') {
        const key = await core.importKey(k.secretBase64, { alg, keyid: k.keyid });
        privateKeys[k.keyid] = key;
        publicKeys[k.keyid] = key;
        continue;
      }
      privateKeys[k.keyid] = await core.importKey(k.privateKeyPem, { alg, keyid: k.keyid });
      publicKeys[k.keyid] = await core.importKey(k.publicKeyPem, { alg, keyid: k.keyid });
      assertEqual(privateKeys[k.keyid].type, 'private', `${k.keyid} private type`);
      assertEqual(publicKeys[k.keyid].type, 'public', `${k.keyid} public type`);
    }
    setKeys({ private: privateKeys, public: publicKeys });
  });

  for (const k of keyVectors) {
    const alg = keyAlgorithms[k.keyid];
    const requires = [`webcrypto:${alg}`];
    if (alg === 'hmac-sha256') {
      t.test(
        'keys: an HMAC secret as base64, raw bytes, ArrayBuffer and JWK signs identically',
        async () => {
          const forms = [
            ['base64', k.secretBase64],
            ['Uint8Array', base64ToBytes(k.secretBase64)],
            ['ArrayBuffer', base64ToBytes(k.secretBase64).buffer],
            ['JWK', k.jwkPrivate],
            ['JWK text', JSON.stringify(k.jwkPrivate)],
          ];
          const keys = [];
          for (const [form, material] of forms)
            keys.push([form, await core.importKey(material, { alg, keyid: k.keyid })]);
          await assertAgree(keys, keys, alg, k.keyid);
        },
        { requires },
      );
      continue;
    }
    t.test(
      `keys: ${k.keyid} (${alg}) agrees across PEM, DER, JWK, JWK text and a derived public key`,
      async () => {
        const options = { alg, keyid: k.keyid };
        const signers = [
          ['PEM', await core.importKey(k.privateKeyPem, options)],
          ['JWK', await core.importKey(k.jwkPrivate, options)],
          ['JWK text', await core.importKey(JSON.stringify(k.jwkPrivate), options)],
        ];
        const verifiers = [
          ['PEM', await core.importKey(k.publicKeyPem, options)],
          ['JWK', await core.importKey(k.jwkPublic, options)],
          ['public from private JWK', await core.importKey(k.jwkPrivate, { ...options, use: 'public' })],
          ['public from private PEM', await core.importKey(k.privateKeyPem, { ...options, use: 'public' })],
        ];
        // importKey takes DER as PKCS#8 / SPKI only; PKCS#1 and SEC1 come as PEM.
        if (/BEGIN PUBLIC KEY/.test(k.publicKeyPem))
          verifiers.push(['SPKI DER', await core.importKey(pemToDer(k.publicKeyPem), options)]);
        if (/BEGIN PRIVATE KEY/.test(k.privateKeyPem))
          signers.push(['PKCS#8 DER', await core.importKey(pemToDer(k.privateKeyPem), options)]);
        await assertAgree(signers, verifiers, alg, k.keyid);
      },
      { requires },
    );
  }

  for (const alg of core.algorithms) {
    t.test(
      `keys: a generated ${alg} key exports to ${alg === 'hmac-sha256' ? 'raw bytes' : 'PEM'} and JWK and imports back`,
      async () => {
        const { privateKey, publicKey } = await core.generateKey(alg, {
          keyid: `gen-${alg}`,
          extractable: true,
        });
        const signers = [['generated', privateKey]];
        const verifiers = [['generated', publicKey]];
        // A shared secret has no PEM form: it exports as raw bytes.
        for (const format of [alg === 'hmac-sha256' ? 'raw' : 'pem', 'jwk']) {
          const exportedPrivate = await core.exportKey(privateKey, format);
          const exportedPublic = await core.exportKey(publicKey, format);
          signers.push([`${format} export`, await core.importKey(exportedPrivate, { alg })]);
          verifiers.push([`${format} export`, await core.importKey(exportedPublic, { alg })]);
        }
        await assertAgree(signers, verifiers, alg, alg);
      },
      { requires: [`webcrypto:${alg}`] },
    );
  }

  t.test(
    'keys: a WebCrypto CryptoKey pair (ECDSA P-384) imports as is',
    async () => {
      const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
        'sign',
        'verify',
      ]);
      const alg = 'ecdsa-p384-sha384';
      const signer = await core.importKey(pair.privateKey, { alg });
      const verifier = await core.importKey(pair.publicKey, { alg });
      await assertAgree([['CryptoKey', signer]], [['CryptoKey', verifier]], alg, 'CryptoKey');
      await assertRejects(
        core.importKey(pair.publicKey, { alg: 'ecdsa-p256-sha256' }),
        'ERR_HTTPSIG_ALGORITHM_MISMATCH',
        'P-384 key bound to P-256',
      );
    },
    { requires: ['webcrypto:ecdsa-p384-sha384'] },
  );

  t.test('keys: unusable material is refused with ERR_HTTPSIG_INVALID_KEY', async () => {
    await assertRejects(
      core.importKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', {
        alg: 'ecdsa-p256-sha256',
      }),
      'ERR_HTTPSIG_INVALID_KEY',
      'truncated SPKI',
    );
    await assertRejects(
      core.importKey('c2hvcnQ=', { alg: 'hmac-sha256' }),
      'ERR_HTTPSIG_INVALID_KEY',
      'short HMAC secret',
    );
  });
}
