/**
 * A signature may not cover its own member of Signature/Signature-Input, but a response may
 * cover the request's member with the same label through `;req`.
 */
import { describe, expect, it } from 'vitest';
import { generateKey, signMessage, verifyMessage } from '../../src/index';

describe('covering a signature member with the same label', () => {
  it("is allowed through ';req' (the request's member), and verifies", async () => {
    const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'k' });
    const request = {
      method: 'POST',
      url: 'https://api.example/hook',
      headers: {} as Record<string, string>,
    };
    const signedRequest = await signMessage(request, { key: privateKey, components: ['@method'] });
    const sentRequest = { ...request, headers: { ...signedRequest.headers } };

    const response = { status: 200, headers: {} as Record<string, string> };
    const signed = await signMessage(response, {
      key: privateKey,
      label: 'sig1',
      components: ['@status', '"signature";req;key="sig1"'],
      request: sentRequest,
    });
    const verified = await verifyMessage(
      { ...response, headers: { ...signed.headers } },
      { keys: { k: publicKey }, requiredComponents: ['"signature";req;key="sig1"'], request: sentRequest },
    );
    expect(verified.components).toEqual(['"@status"', '"signature";req;key="sig1"']);
  });

  it('is refused for the message itself', async () => {
    const { privateKey } = await generateKey('ed25519', { keyid: 'k' });
    const message = { method: 'GET', url: 'https://api.example/', headers: { signature: 'sig1=:AAAA:' } };
    await expect(
      signMessage(message, {
        key: privateKey,
        label: 'sig1',
        components: ['"signature";key="sig1"'],
        replace: true,
      }),
    ).rejects.toMatchObject({ code: 'ERR_HTTPSIG_INVALID_COMPONENT' });
  });
});
