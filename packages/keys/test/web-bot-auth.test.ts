import { jwkThumbprint, type KeyResolver, type RequestLike, verifyMessage } from '@httpsig/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createDirectoryResolver,
  createSignatureAgentResolver,
  DIRECTORY_MEDIA_TYPE,
  DIRECTORY_PATH,
  keySource,
  type SignatureAgentResolverOptions,
} from '../src/index';
import { startServer, type TestServer } from './support/http-server';
import { codeOf, errorOf, NOW, signedRequest, type TestKey, testKey } from './support/keys';

let agentKey: TestKey;
let otherKey: TestKey;
let thumbprint: string;
let otherThumbprint: string;
const servers: TestServer[] = [];

beforeAll(async () => {
  [agentKey, otherKey] = await Promise.all([testKey('ed25519'), testKey('ed25519')]);
  thumbprint = await jwkThumbprint(agentKey.jwk);
  otherThumbprint = await jwkThumbprint(otherKey.jwk);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** An agent origin serving its key directory at the well-known path. */
async function agentServer(keys: (JsonWebKey & { kid?: string })[]): Promise<TestServer> {
  const server = await startServer((request, response) => {
    if (request.url !== DIRECTORY_PATH) {
      response.writeHead(404);
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': DIRECTORY_MEDIA_TYPE, 'cache-control': 'max-age=86400' });
    response.end(JSON.stringify({ keys }));
  });
  servers.push(server);
  return server;
}

function agentResolver(options: SignatureAgentResolverOptions = {}): KeyResolver {
  return createSignatureAgentResolver({ allowPrivateNetworks: true, allowHttp: true, ...options });
}

function verify(request: RequestLike, keys: KeyResolver) {
  return verifyMessage(request, {
    keys,
    requiredComponents: ['@authority'],
    tag: 'web-bot-auth',
    now: NOW,
  });
}

/** A request signed by `key` for the agent at `origin`, in the dictionary form. */
function botRequest(
  key: TestKey,
  keyid: string,
  agentField: string,
  covered = ['"signature-agent";key="sig1"'],
) {
  return signedRequest(
    key.privateKey,
    { keyid, tag: 'web-bot-auth', expires: NOW + 60 },
    { headers: { 'signature-agent': agentField }, components: covered },
  );
}

describe('createSignatureAgentResolver', () => {
  it('verifies a request whose keyid is the thumbprint of a key in the agent directory (dictionary form)', async () => {
    const agent = await agentServer([agentKey.jwk]);
    const resolver = agentResolver();
    const verified = await verify(await botRequest(agentKey, thumbprint, `sig1="${agent.origin}"`), resolver);
    expect(verified.keyid).toBe(thumbprint);
    expect(verified.alg).toBe('ed25519');
    expect(keySource(verified.key)).toEqual({
      kind: 'directory',
      url: `${agent.origin}${DIRECTORY_PATH}`,
      thumbprint,
    });
    expect(agent.hits).toEqual([DIRECTORY_PATH]);
  });

  it('accepts the older String form, covered by a plain "signature-agent" component', async () => {
    const agent = await agentServer([agentKey.jwk]);
    const request = await botRequest(agentKey, thumbprint, `"${agent.origin}"`, ['signature-agent']);
    expect((await verify(request, agentResolver())).keyid).toBe(thumbprint);
  });

  it('follows the member the signature covers, even when its key differs from the label', async () => {
    const agent = await agentServer([agentKey.jwk]);
    const decoy = await agentServer([otherKey.jwk]);
    const request = await signedRequest(
      agentKey.privateKey,
      { keyid: thumbprint, tag: 'web-bot-auth' },
      {
        label: 'sig2',
        headers: { 'signature-agent': `sig2="${decoy.origin}", agent2="${agent.origin}"` },
        components: ['"signature-agent";key="agent2"'],
      },
    );
    expect((await verify(request, agentResolver())).keyid).toBe(thumbprint);
    expect(decoy.hits).toEqual([]);
  });

  it('matches by computed thumbprint, not by the kid the directory claims', async () => {
    const agent = await agentServer([{ ...agentKey.jwk, kid: otherThumbprint }, otherKey.jwk]);
    const resolver = agentResolver();
    // The wrong thumbprint (another key's, listed too) finds that key, which does not verify.
    expect(
      await codeOf(verify(await botRequest(agentKey, otherThumbprint, `sig1="${agent.origin}"`), resolver)),
    ).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    // A thumbprint of no listed key.
    const unknown = await errorOf(
      verify(await botRequest(agentKey, 'x'.repeat(43), `sig1="${agent.origin}"`), resolver),
    );
    expect(unknown.code).toBe('ERR_HTTPSIG_UNKNOWN_KEY');
    // A kid-only match is not a match.
    const byKid = await agentServer([{ ...otherKey.jwk, kid: 'friendly-name' }]);
    expect(
      await codeOf(verify(await botRequest(otherKey, 'friendly-name', `sig1="${byKid.origin}"`), resolver)),
    ).toBe('ERR_HTTPSIG_UNKNOWN_KEY');
  });

  it('keys each directory apart: a key is attributed only to a directory that lists it', async () => {
    const agent = await agentServer([agentKey.jwk]);
    const impostor = await agentServer([otherKey.jwk]);
    const resolver = agentResolver();
    await verify(await botRequest(agentKey, thumbprint, `sig1="${agent.origin}"`), resolver);
    // The agent's key is cached, but the request claims the impostor's directory, which lacks it.
    expect(
      await codeOf(verify(await botRequest(agentKey, thumbprint, `sig1="${impostor.origin}"`), resolver)),
    ).toBe('ERR_HTTPSIG_UNKNOWN_KEY');
  });

  it('refuses a signature that does not cover its Signature-Agent member, unless told otherwise', async () => {
    const agent = await agentServer([agentKey.jwk]);
    const request = await botRequest(agentKey, thumbprint, `sig1="${agent.origin}"`, []);
    const error = await errorOf(verify(request, agentResolver()));
    expect(error.code).toBe('ERR_HTTPSIG_UNKNOWN_KEY');
    expect(error.message).toMatch(/does not cover its Signature-Agent member/);
    expect(agent.hits).toEqual([]);
    expect((await verify(request, agentResolver({ requireCoveredAgent: false }))).keyid).toBe(thumbprint);

    const legacy = await botRequest(agentKey, thumbprint, `"${agent.origin}"`, []);
    expect((await errorOf(verify(legacy, agentResolver()))).message).toMatch(
      /does not cover the Signature-Agent field/,
    );
    expect((await verify(legacy, agentResolver({ requireCoveredAgent: false }))).keyid).toBe(thumbprint);
  });

  it('refuses missing, malformed and unsupported Signature-Agent values', async () => {
    const agent = await agentServer([agentKey.jwk]);
    const cases: [string | undefined, string, RegExp][] = [
      [undefined, 'ERR_HTTPSIG_UNKNOWN_KEY', /no Signature-Agent field/],
      [`sig1="${agent.origin}/keys"`, 'ERR_HTTPSIG_UNKNOWN_KEY', /not an origin/],
      [`sig1="${agent.origin}/?q=1"`, 'ERR_HTTPSIG_UNKNOWN_KEY', /not an origin/],
      [`sig1="ftp://agent.example"`, 'ERR_HTTPSIG_UNKNOWN_KEY', /not an https origin/],
      [`sig1="${agent.origin}/jwks.json";type=jwks_uri`, 'ERR_HTTPSIG_UNKNOWN_KEY', /discovery type/],
      [`sig1=("${agent.origin}")`, 'ERR_HTTPSIG_UNKNOWN_KEY', /not a string/],
      [`sig1="unterminated`, 'ERR_HTTPSIG_PARSE', /cannot be parsed/],
    ];
    for (const [field, code, message] of cases) {
      const request =
        field === undefined
          ? await signedRequest(agentKey.privateKey, { keyid: thumbprint, tag: 'web-bot-auth' })
          : await signedRequest(
              agentKey.privateKey,
              { keyid: thumbprint, tag: 'web-bot-auth' },
              { headers: { 'signature-agent': field } },
            );
      // Uncovered members are allowed here so that each value itself is what gets judged.
      const error = await errorOf(verify(request, agentResolver({ requireCoveredAgent: false })));
      expect([error.code, error.message], field).toEqual([code, expect.stringMatching(message)]);
    }
    expect(agent.hits).toEqual([]);
  });

  it('accepts the origin with the directory path spelled out', async () => {
    const agent = await agentServer([agentKey.jwk]);
    const request = await botRequest(agentKey, thumbprint, `sig1="${agent.origin}${DIRECTORY_PATH}"`);
    expect((await verify(request, agentResolver())).keyid).toBe(thumbprint);
  });

  it('refuses loopback agents by default, and agents allowAgent rejects, before any fetch', async () => {
    const agent = await agentServer([agentKey.jwk]);
    const request = await botRequest(agentKey, thumbprint, `sig1="${agent.origin}"`);
    const guarded = await errorOf(verify(request, createSignatureAgentResolver({ allowHttp: true })));
    expect(guarded.message).toBe('The key set is unavailable: refused a private network address');
    const https = await errorOf(
      verify(request, createSignatureAgentResolver({ allowPrivateNetworks: true })),
    );
    expect(https.message).toMatch(/https is required/);
    const seen: string[] = [];
    const picky = agentResolver({
      allowAgent: (origin) => {
        seen.push(origin);
        return false;
      },
    });
    expect((await errorOf(verify(request, picky))).message).toMatch(/not accepted/);
    expect(seen).toEqual([agent.origin]);
    expect(agent.hits).toEqual([]);
  });

  it('never follows a redirect from a directory', async () => {
    const agent = await startServer((_request, response) => {
      response.writeHead(302, { location: '/elsewhere' });
      response.end();
    });
    servers.push(agent);
    const resolver = agentResolver({ maxRedirects: 5 } as SignatureAgentResolverOptions);
    const error = await errorOf(
      verify(await botRequest(agentKey, thumbprint, `sig1="${agent.origin}"`), resolver),
    );
    expect(error.message).toMatch(/refused to follow a redirect/);
    expect(agent.hits).toEqual([DIRECTORY_PATH]);
  });

  it('drops the least recently used directory beyond maxDirectories', async () => {
    const a = await agentServer([agentKey.jwk]);
    const b = await agentServer([agentKey.jwk]);
    const resolver = agentResolver({ maxDirectories: 1 });
    await verify(await botRequest(agentKey, thumbprint, `sig1="${a.origin}"`), resolver);
    await verify(await botRequest(agentKey, thumbprint, `sig1="${b.origin}"`), resolver);
    await verify(await botRequest(agentKey, thumbprint, `sig1="${a.origin}"`), resolver);
    expect(a.hits).toHaveLength(2);
    expect(b.hits).toHaveLength(1);
  });
});

describe('createDirectoryResolver', () => {
  it('resolves thumbprints from one fixed directory, given as an origin or a full URL', async () => {
    const agent = await agentServer([agentKey.jwk]);
    const options = { allowPrivateNetworks: true, allowHttp: true };
    for (const url of [agent.origin, `${agent.origin}/`, `${agent.origin}${DIRECTORY_PATH}`]) {
      const resolver = createDirectoryResolver(url, options);
      // The fixed directory is used whatever the request's Signature-Agent says.
      const request = await botRequest(agentKey, thumbprint, 'sig1="https://elsewhere.example"');
      expect((await verify(request, resolver)).keyid).toBe(thumbprint);
      expect(await codeOf(verify(await botRequest(otherKey, otherThumbprint, 'sig1="x"'), resolver))).toBe(
        'ERR_HTTPSIG_UNKNOWN_KEY',
      );
    }
    expect(new Set(agent.hits)).toEqual(new Set([DIRECTORY_PATH]));
  });
});
