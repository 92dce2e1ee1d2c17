/**
 * Content-Digest (RFC 9530): the Appendix D sample digests are produced byte for byte, the
 * RFC 9421 examples' Content-Digest fields verify against their bodies, every body form digests
 * the same, and a mismatch or a field with only deprecated algorithms is refused.
 */
import { assertEqual, assertRejects } from '../harness.js';
import { hexToBytes } from '../messages.js';
import { contentDigestVectors, sampleDigests } from '../vectors.js';

export function digestCases(t, { core }) {
  for (const algorithm of ['sha-256', 'sha-512']) {
    t.test(`Content-Digest: RFC 9530 Appendix D ${algorithm} value byte for byte`, async () => {
      const expected = sampleDigests.values.find((v) => v.algorithm === algorithm);
      const field = await core.createDigestField(hexToBytes(sampleDigests.inputHex), { algorithm });
      assertEqual(field, `${algorithm}=${expected.value}`, 'Content-Digest');
    });
  }

  for (const v of contentDigestVectors) {
    t.test(`Content-Digest: RFC 9421 ${v.id} field verifies against its body`, async () => {
      await core.verifyDigestField(v.header, v.body);
      await assertRejects(
        core.verifyDigestField(v.header, `${v.body} `),
        'ERR_HTTPSIG_DIGEST_MISMATCH',
        'changed body',
      );
    });
  }

  t.test('Content-Digest: string, bytes, Blob, stream and async iterable bodies digest alike', async () => {
    const text = '{"hello": "world"}';
    const bytes = new TextEncoder().encode(text);
    const expected = `sha-256=${sampleDigests.values.find((v) => v.algorithm === 'sha-256').value}`;
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 5));
        controller.enqueue(bytes.subarray(5));
        controller.close();
      },
    });
    async function* chunks() {
      yield bytes.subarray(0, 9);
      yield bytes.subarray(9);
    }
    const bodies = [
      ['string', text],
      ['Uint8Array', bytes],
      ['ArrayBuffer', bytes.slice().buffer],
      ['Blob', new Blob([bytes])],
      ['ReadableStream', stream],
      ['async iterable', chunks()],
    ];
    for (const [form, body] of bodies) {
      assertEqual(await core.createDigestField(body, { algorithm: 'sha-256' }), expected, form);
    }
  });

  t.test('Content-Digest: only deprecated algorithms are refused, a body past maxBodySize too', async () => {
    await assertRejects(
      core.verifyDigestField('md5=:Sd/dVLAcvNLSq16eXua5uQ==:', '{"hello": "world"}'),
      'ERR_HTTPSIG_INSECURE_DIGEST',
      'md5 only',
    );
    await assertRejects(
      core.createDigestField(new Uint8Array(2048), { algorithm: 'sha-256', maxBodySize: 1024 }),
      'ERR_HTTPSIG_BODY_TOO_LARGE',
      'body over the limit',
    );
  });
}
