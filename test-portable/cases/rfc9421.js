/**
 * RFC 9421 vectors (§2.4, §2.5, §4.3, Appendix B.2–B.4): each signature base is rebuilt byte for
 * byte, each printed signature verifies, the deterministic ones (rsa-v1_5-sha256, hmac-sha256,
 * ed25519) re-sign to exactly the printed Signature-Input and Signature fields, and a flipped
 * signature byte is refused.
 */
import { assertEqual, assertRejects, assertSame } from '../harness.js';
import {
  createdOf,
  fieldOf,
  flipByte,
  messageFrom,
  paramsOf,
  requestFrom,
  withField,
  withoutFields,
} from '../messages.js';
import { signatureVectors } from '../vectors.js';

export function rfc9421Cases(t, { core, keys }) {
  const related = (v) => (v.relatedRequest ? { request: requestFrom(v.relatedRequest.parsed) } : {});
  const verifyOptions = (v) => ({
    keys: keys().public,
    requiredComponents: v.coveredComponents,
    label: v.label,
    now: createdOf(v),
    // Most RFC examples sign a request with a body without covering content-digest.
    requireDigest: false,
    ...related(v),
  });
  const messageToSign = (v) => {
    const message = messageFrom(v.message.parsed);
    const input = fieldOf(message, 'signature-input');
    // B.4 prints the message already signed with the same label.
    if (input !== undefined && new RegExp(`(^|,\\s*)${v.label}=`).test(input))
      return withoutFields(message, 'signature', 'signature-input');
    return message;
  };

  t.test('RFC 9421: all 14 signature vectors are present', () => {
    assertEqual(signatureVectors.length, 14, 'signature vectors');
  });

  for (const v of signatureVectors) {
    const requires = [`webcrypto:${v.algorithm}`];
    t.test(
      `RFC 9421 ${v.id}: signature base rebuilt byte for byte`,
      () => {
        const signed = messageFrom(v.signedMessage.parsed);
        assertEqual(
          core.createSignatureBase(signed, { label: v.label, ...related(v) }),
          v.signatureBase,
          'base',
        );
        const fresh = core.createSignatureBase(messageFrom(v.message.parsed), {
          components: v.coveredComponents,
          params: paramsOf(v.signatureParameters),
          ...related(v),
        });
        assertEqual(fresh, v.signatureBase, 'base from components and params');
      },
      { requires: [] },
    );

    t.test(
      `RFC 9421 ${v.id}: printed ${v.algorithm} signature verifies`,
      async () => {
        const result = await core.verifyMessage(messageFrom(v.signedMessage.parsed), verifyOptions(v));
        assertEqual(result.label, v.label, 'label');
        assertEqual(result.keyid, v.keyid, 'keyid');
        assertEqual(result.alg, v.algorithm, 'alg');
        assertEqual(result.base, v.signatureBase, 'verified base');
        assertSame(result.components, v.coveredComponents, 'components');
      },
      { requires },
    );

    t.test(
      `RFC 9421 ${v.id}: a flipped signature byte is refused`,
      async () => {
        const signed = messageFrom(v.signedMessage.parsed);
        const current = fieldOf(signed, 'signature');
        const tampered = current.replace(
          `${v.label}=:${v.signatureBase64}:`,
          `${v.label}=:${flipByte(v.signatureBase64, 7)}:`,
        );
        assertEqual(tampered === current, false, 'the signature member was found');
        await assertRejects(
          core.verifyMessage(withField(signed, 'Signature', tampered), verifyOptions(v)),
          'ERR_HTTPSIG_INVALID_SIGNATURE',
          'tampered signature',
        );
      },
      { requires },
    );

    if (v.check === 'sign-and-compare') {
      t.test(
        `RFC 9421 ${v.id}: re-signs to the printed fields byte for byte`,
        async () => {
          const result = await core.signMessage(messageToSign(v), {
            key: keys().private[v.keyid],
            components: v.coveredComponents,
            digest: false,
            label: v.label,
            params: paramsOf(v.signatureParameters),
            now: createdOf(v),
            ...related(v),
          });
          assertEqual(result.base, v.signatureBase, 'base');
          assertEqual(result.signatureValue, v.signatureBase64, 'signature bytes');
          assertEqual(result.signatureInput, v.signatureInputHeader, 'Signature-Input');
          assertEqual(result.signature, v.signatureHeader, 'Signature');
        },
        { requires },
      );
    } else {
      t.test(
        `RFC 9421 ${v.id}: signs afresh over the printed base and the new signature verifies`,
        async () => {
          const message = messageToSign(v);
          const result = await core.signMessage(message, {
            key: keys().private[v.keyid],
            components: v.coveredComponents,
            digest: false,
            label: v.label,
            params: paramsOf(v.signatureParameters),
            now: createdOf(v),
            ...related(v),
          });
          assertEqual(result.base, v.signatureBase, 'base');
          assertEqual(result.signatureInput, v.signatureInputHeader, 'Signature-Input');
          const signed = withField(
            withField(message, 'Signature-Input', result.signatureInput),
            'Signature',
            result.signature,
          );
          const verified = await core.verifyMessage(signed, verifyOptions(v));
          assertEqual(verified.base, v.signatureBase, 'verified base');
        },
        { requires },
      );
    }
  }
}
