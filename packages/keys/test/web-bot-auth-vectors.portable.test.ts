import { verifyMessage } from '@httpsig/core';
import { describe, expect, it } from 'vitest';
import { createSignatureAgentResolver, DIRECTORY_MEDIA_TYPE, DIRECTORY_PATH, keySource } from '../src/index';

describe('the draft test vectors (Ed25519 key of RFC 9421 §B.1.4)', () => {
  // draft-ietf-webbotauth-httpsig-protocol, "Test Vectors": the directory and two signed requests.
  const directory = {
    keys: [
      {
        kty: 'OKP',
        crv: 'Ed25519',
        kid: 'poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U',
        x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs',
        use: 'sig',
      },
    ],
  };
  const keyid = 'poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U';
  const requested: string[] = [];
  const fetchDirectory = async (input: URL | string) => {
    requested.push(String(input));
    return new Response(JSON.stringify(directory), { headers: { 'content-type': DIRECTORY_MEDIA_TYPE } });
  };

  it('verifies the dictionary-form request', async () => {
    const request = {
      method: 'GET',
      url: 'https://example.com/',
      headers: {
        'signature-agent': 'agent2="https://signature-agent.test"',
        'signature-input':
          'sig2=("@authority" "signature-agent";key="agent2");created=1735689600' +
          `;keyid="${keyid}";alg="ed25519";expires=4889289600` +
          ';nonce="n9p433xm+NJ3ph3upfBIGmsuwHw387YV7Q/F+6BSpGCVjYCqQw6rznNA8PVVLySrAWsv0hQtFioQb6E1YsauiA=="' +
          ';tag="web-bot-auth"',
        signature:
          'sig2=:RdNFx5Bj6au3YgAMQL/RzmUlZE8QZLIaXGRpw985hWnwPfMxT228NMk6ehRS1PSl4e8PhbNZACSanGdhEwYCCg==:',
      },
    };
    const resolver = createSignatureAgentResolver({ fetch: fetchDirectory });
    const verified = await verifyMessage(request, {
      keys: resolver,
      requiredComponents: ['@authority'],
      now: 1735689600,
    });
    expect(verified.keyid).toBe(keyid);
    expect(keySource(verified.key)).toEqual({
      kind: 'directory',
      url: `https://signature-agent.test${DIRECTORY_PATH}`,
      thumbprint: keyid,
    });
    expect(requested).toEqual([`https://signature-agent.test${DIRECTORY_PATH}`]);
  });

  it('verifies the legacy String-form request', async () => {
    const request = {
      method: 'GET',
      url: 'https://example.com/',
      headers: {
        'signature-agent': '"https://signature-agent.test"',
        'signature-input':
          'sig2=("@authority" "signature-agent");created=1735689600' +
          `;keyid="${keyid}";alg="ed25519";expires=1735693200` +
          ';nonce="e8N7S2MFd/qrd6T2R3tdfAuuANngKI7LFtKYI/vowzk4lAZYadIX6wW25MwG7DCT9RUKAJ0qVkU0mEeLElW1qg=="' +
          ';tag="web-bot-auth"',
        signature:
          'sig2=:jdq0SqOwHdyHr9+r5jw3iYZH6aNGKijYp/EstF4RQTQdi5N5YYKrD+mCT1HA1nZDsi6nJKuHxUi/5Syp3rLWBA==:',
      },
    };
    const resolver = createSignatureAgentResolver({ fetch: fetchDirectory });
    const verified = await verifyMessage(request, {
      keys: resolver,
      requiredComponents: ['@authority'],
      now: 1735689700,
    });
    expect(verified.keyid).toBe(keyid);
  });
});
