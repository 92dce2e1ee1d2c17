/**
 * A remote instance publishes two actors; one delivers with draft-cavage (as Mastodon does), the
 * other with RFC 9421, both to the same inbox. Then a tampered and a misattributed delivery are
 * refused. `node index.js`
 */
import { createServer } from 'node:http';
import { mastodonPreset } from '@httpsig/core';
import { createSignedFetch } from '@httpsig/fetch';
import { actorKeyResolver, createActor } from './actors.js';
import { startInbox } from './inbox.js';

/**
 * The remote instance: serves its actors' documents.
 * @returns {Promise<{ origin: string, publish(document: { id: string }): void, close(): Promise<void> }>}
 */
export async function startInstance() {
  /** @type {Map<string, unknown>} */
  const documents = new Map();
  const server = createServer((req, res) => {
    const document = documents.get(req.url ?? '');
    res.writeHead(document ? 200 : 404, { 'content-type': 'application/activity+json' });
    res.end(JSON.stringify(document ?? {}));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    origin: `http://127.0.0.1:${port}`,
    publish: (document) => documents.set(new URL(document.id).pathname, document),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A client that delivers as `actor` with the given scheme.
 * @param {Awaited<ReturnType<typeof createActor>>} actor @param {'cavage' | 'rfc9421'} scheme
 * @param {import('@httpsig/fetch').Fetch} [transport]
 */
export function deliverer(actor, scheme, transport) {
  const signedFetch = createSignedFetch({
    key: actor.privateKey,
    keyid: actor.keyId,
    ...(transport ? { fetch: transport } : {}),
    ...(scheme === 'cavage'
      ? { scheme: 'cavage', cavage: mastodonPreset.sign }
      : { components: mastodonPreset.rfc9421.components }),
  });
  /** @param {string} inbox @param {object} activity */
  return (inbox, activity) =>
    signedFetch(inbox, {
      method: 'POST',
      headers: { 'content-type': 'application/activity+json' },
      body: JSON.stringify(activity),
    });
}

/** @param {(line: string) => void} log @returns {Promise<boolean>} */
export async function main(log = console.log) {
  const instance = await startInstance();
  const alice = await createActor(instance.origin, 'alice');
  const bob = await createActor(instance.origin, 'bob');
  instance.publish(alice.document);
  instance.publish(bob.document);
  /** @type {import('./inbox.js').Delivery[]} */
  const received = [];
  const inbox = await startInbox({ keys: actorKeyResolver(), onActivity: (d) => received.push(d) });
  try {
    const follow = (/** @type {string} */ actor) => ({
      type: 'Follow',
      actor,
      object: 'https://my.example/users/carol',
    });
    const fromAlice = await deliverer(alice, 'cavage')(inbox.url, follow(alice.id));
    log(`alice, draft-cavage (Signature: keyId=…,algorithm="rsa-sha256"): ${fromAlice.status}`);
    const fromBob = await deliverer(bob, 'rfc9421')(inbox.url, follow(bob.id));
    log(`bob, RFC 9421 (Signature-Input): ${fromBob.status}`);

    // The body changed after signing, on the way.
    const tampered = await deliverer(alice, 'cavage', (input, init) =>
      fetch(
        new Request(new Request(input, init), { body: JSON.stringify({ type: 'Delete', actor: alice.id }) }),
      ),
    )(inbox.url, follow(alice.id));
    log(`alice's delivery with another body: ${tampered.status} ${(await tampered.json()).code}`);
    // Bob signs an activity that claims to be Alice's.
    const impersonation = await deliverer(bob, 'cavage')(inbox.url, follow(alice.id));
    log(`bob delivering an activity of alice's: ${impersonation.status}`);

    for (const delivery of received)
      log(`inbox: ${delivery.type} from ${new URL(delivery.actor).pathname} (${delivery.scheme})`);
    return (
      fromAlice.status === 202 &&
      fromBob.status === 202 &&
      tampered.status === 400 &&
      impersonation.status === 403 &&
      received.length === 2
    );
  } finally {
    await inbox.close();
    await instance.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((ok) => {
    process.exitCode = ok ? 0 : 1;
  });
}
