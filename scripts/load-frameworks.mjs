/**
 * Load with hostile input against the framework adapters (outside CI): @httpsig/express
 * (`verifySignatures`, then `express.json()`) and @httpsig/fastify (the `httpSignatures`
 * plugin), each in its own child process so that the RSS measured is that server's alone.
 *
 * autocannon sends for LOAD_SECONDS (default 60) a mix of 70% valid requests (ed25519, each with
 * a fresh nonce; the verifier keeps its in-memory replay store) and 30% invalid ones of seven
 * kinds. Every response is checked: valid → 2xx, invalid → 4xx with the expected problem `code`,
 * never a 5xx. RSS (after a forced GC) is read after LOAD_WARMUP seconds (default 10) and at the
 * end. Exits non-zero on any wrong answer, any 5xx, or RSS growth of 10% or more.
 *
 * Usage: node scripts/load-frameworks.mjs [express|fastify ...]   (both by default)
 * Also: LOAD_CONNECTIONS (20), LOAD_WARMUP (10), LOAD_DEBUG=1 prints every wrong answer, and the
 * diagnostic LOAD_MAX_AGE / LOAD_NONCE_ENTRIES (verifier `maxAge`, store `maxEntries`).
 * Uses the built packages: run `pnpm build` first (scripts/load.sh does).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

// autocannon, the frameworks and the workspace packages are dependencies of bench/.
const require = createRequire(new URL('../bench/package.json', import.meta.url));

const seconds = Number(process.env.LOAD_SECONDS ?? 60);
const warmupSeconds = Number(process.env.LOAD_WARMUP ?? Math.min(10, Math.max(1, seconds / 6)));
const connections = Number(process.env.LOAD_CONNECTIONS ?? 20);
const frameworks = ['express', 'fastify'];
const maxRssGrowth = 0.1;
// Diagnostics only: a short maxAge and a small replay store reach their steady size within the
// warm-up, so that what RSS does afterwards is not the store filling up (see docs/security.md).
const maxAge = process.env.LOAD_MAX_AGE === undefined ? undefined : Number(process.env.LOAD_MAX_AGE);
const nonceEntries =
  process.env.LOAD_NONCE_ENTRIES === undefined ? undefined : Number(process.env.LOAD_NONCE_ENTRIES);
const body = '{"item":1}';
const components = ['@method', '@target-uri', 'content-type', 'content-digest', 'x-account'];

if (process.argv[2] === '--serve') await serve(process.argv[3]);
else await main();

// ---------------------------------------------------------------------------------------------
// Child process: one framework's server.

async function serve(framework) {
  const { importKey, createMemoryNonceStore } = require('@httpsig/core');
  const publicKey = await importKey(JSON.parse(process.env.LOAD_PUBLIC_JWK), {
    alg: 'ed25519',
    use: 'public',
    keyid: 'client-1',
  });
  // The verifier's default store, made here only so that its size can be reported.
  const nonceStore = createMemoryNonceStore(nonceEntries === undefined ? {} : { maxEntries: nonceEntries });
  const options = {
    keys: (keyid) => (keyid === 'client-1' ? publicKey : undefined),
    nonceStore,
    requiredComponents: components,
    ...(maxAge === undefined ? {} : { maxAge }),
  };
  let address;
  if (framework === 'express') {
    const express = require('express');
    const { verifySignatures } = require('@httpsig/express');
    const app = express();
    app.use(verifySignatures(options));
    app.use(express.json());
    app.post('/orders', (req, res) => res.json({ accepted: req.body.item }));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    address = server.address();
  } else {
    const fastify = require('fastify')({ logger: false });
    const { httpSignatures } = require('@httpsig/fastify');
    await fastify.register(httpSignatures, options);
    fastify.post('/orders', async (request) => ({ accepted: request.body.item }));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    address = fastify.server.address();
  }
  process.on('message', (message) => {
    if (message !== 'memory') return;
    globalThis.gc?.();
    const { rss, heapUsed, heapTotal, arrayBuffers } = process.memoryUsage();
    process.send({ memory: { rss, heapUsed, heapTotal, arrayBuffers, nonces: nonceStore.size } });
  });
  process.send({ port: address.port });
}

// ---------------------------------------------------------------------------------------------
// Parent process: the client, the checks and the report.

async function main() {
  const wanted = process.argv.slice(2);
  const selected = wanted.length > 0 ? wanted : frameworks;
  for (const name of selected) {
    if (!frameworks.includes(name))
      throw new Error(`unknown framework ${name}: use ${frameworks.join(' or ')}`);
  }
  let failed = false;
  for (const framework of selected) failed = (await run(framework)) || failed;
  process.exit(failed ? 1 : 0);
}

function startServer(framework, publicJwk) {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', framework], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, LOAD_PUBLIC_JWK: JSON.stringify(publicJwk), NODE_ENV: 'production' },
  });
  const memory = async () => {
    child.send('memory');
    for (;;) {
      const [message] = await once(child, 'message');
      if (message.memory) return message.memory;
    }
  };
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${framework} server exited with ${code}`)));
    child.once('message', (message) => resolve({ child, port: message.port, memory }));
  });
}

/** The request as autocannon sends it; `headers` include the signature fields. */
function request(headers, requestBody = body) {
  return { method: 'POST', path: '/orders', headers, body: requestBody };
}

/** Sign a POST /orders as the honest client would; `params` and `fields` vary per kind. */
async function signed(origin, key, { params = {}, fields = {} } = {}) {
  const { signMessage } = require('@httpsig/core');
  const message = {
    method: 'POST',
    url: `${origin}/orders`,
    headers: { 'content-type': 'application/json', 'x-account': '42', ...fields },
    body,
  };
  const { headers } = await signMessage(message, {
    key,
    components,
    params: { created: true, keyid: 'client-1', nonce: true, ...params },
  });
  // autocannon adds no Host to headers given per request: HTTP/1.1 requires it, and so does `@authority`.
  return { host: new URL(origin).host, ...message.headers, ...headers };
}

/** The invalid kinds, each with the problem code it must be refused with. */
async function invalidKinds(origin, keys) {
  const { generateKey } = require('@httpsig/core');
  const stranger = await generateKey('ed25519', { keyid: 'stranger' });
  const valid = await signed(origin, keys.privateKey);
  const { signature: _s, 'signature-input': _si, ...unsigned } = valid;
  const tooOld = Math.floor(Date.now() / 1000) - 3600;
  return [
    { kind: 'tampered body', code: 'ERR_HTTPSIG_DIGEST_MISMATCH', request: request(valid, '{"item":2}') },
    {
      kind: 'tampered covered header',
      code: 'ERR_HTTPSIG_INVALID_SIGNATURE',
      request: request({ ...valid, 'x-account': '43' }),
    },
    {
      kind: 'unknown key',
      code: 'ERR_HTTPSIG_UNKNOWN_KEY',
      request: request(await signed(origin, stranger.privateKey, { params: { keyid: 'stranger' } })),
    },
    {
      kind: 'too old',
      code: 'ERR_HTTPSIG_EXPIRED',
      request: request(await signed(origin, keys.privateKey, { params: { created: tooOld } })),
    },
    // Valid requests already accepted once: primed by primeReplays(), then the latest accepted.
    { kind: 'replayed nonce', code: 'ERR_HTTPSIG_REPLAY', pool: [] },
    { kind: 'missing signature', code: 'ERR_HTTPSIG_MISSING_SIGNATURE', request: request(unsigned) },
    {
      kind: 'malformed Signature-Input',
      code: 'ERR_HTTPSIG_PARSE',
      request: request({ ...valid, 'signature-input': 'sig1=("@method" "@target-uri";created=' }),
    },
  ];
}

/** Send a few valid requests once (each must be accepted), to be replayed during the run. */
async function primeReplays(origin, keys, replay) {
  for (let i = 0; i < 16; i += 1) {
    const headers = await signed(origin, keys.privateKey);
    const response = await fetch(`${origin}/orders`, { method: 'POST', headers, body });
    if (response.status !== 200) throw new Error(`priming request refused with ${response.status}`);
    replay.pool.push(request(headers));
  }
}

/**
 * Valid requests, each with its own nonce: a pool signed ahead and kept topped up while the load
 * runs, so the client is not what limits throughput. `dry` counts the times it ran out.
 */
function validPool(origin, keys, initial) {
  const queue = [];
  const state = { queue, dry: 0, signed: 0, running: true, signMs: 0 };
  async function fill(count) {
    const started = performance.now();
    const batch = await Promise.all(Array.from({ length: count }, () => signed(origin, keys.privateKey)));
    state.signMs += performance.now() - started;
    state.signed += count;
    for (const headers of batch) queue.push(request(headers));
  }
  state.ready = fill(initial);
  state.refilling = state.ready.then(async () => {
    while (state.running) {
      if (queue.length < initial / 2) await fill(500);
      else await sleep(50);
    }
  });
  return state;
}

async function run(framework) {
  const autocannon = require('autocannon');
  const { generateKey, exportKey } = require('@httpsig/core');
  const keys = await generateKey('ed25519', { keyid: 'client-1' });
  const server = await startServer(framework, await exportKey(keys.publicKey, 'jwk'));
  const origin = `http://127.0.0.1:${server.port}`;

  const invalid = await invalidKinds(origin, keys);
  // Signed again every second, so that they fail for their own reason, not for their age.
  const refresher = setInterval(async () => {
    const fresh = await invalidKinds(origin, keys);
    for (const [i, entry] of fresh.entries()) if (entry.request) invalid[i].request = entry.request;
  }, 1000);
  const replay = invalid.find((entry) => entry.kind === 'replayed nonce');
  await primeReplays(origin, keys, replay);
  // With a short maxAge, pre-signed requests would expire while waiting: keep the pool small.
  const pool = validPool(origin, keys, maxAge === undefined ? 20_000 : 1_000);
  const latencies = [];
  let built = 0;
  await pool.ready;
  // Measured on the first fill, before the load starts competing for the cores.
  const signRate = pool.signed / (pool.signMs / 1000);

  // Per kind: code answered → count. Valid requests are recorded under 'valid'.
  const answers = new Map();
  let fiveHundreds = 0;
  let wrong = 0;
  function record(context, status, text) {
    const { kind, expected: expectedCode } = context;
    // Timed here rather than by autocannon, whose latencies are skewed after a server closes a
    // connection (a request written to the closing socket stays queued and is never answered).
    latencies.push(performance.now() - context.sentAt);
    if (kind === 'valid' && status === 200) replay.pool[replayTurn++ % 64] = context.request;
    let code = String(status);
    if (status >= 300) {
      try {
        code = JSON.parse(text).code ?? code;
      } catch {}
    }
    if (status >= 500) fiveHundreds += 1;
    const ok =
      expectedCode === undefined
        ? status >= 200 && status < 300
        : status >= 400 && status < 500 && code === expectedCode;
    if (!ok) wrong += 1;
    if (!ok && process.env.LOAD_DEBUG) console.log(kind, status, text);
    const label =
      expectedCode === undefined
        ? ok
          ? `${status} accepted`
          : `${code} (WRONG)`
        : ok
          ? code
          : `${code} (WRONG)`;
    const byCode = answers.get(kind) ?? new Map();
    byCode.set(label, (byCode.get(label) ?? 0) + 1);
    answers.set(kind, byCode);
  }

  // 7 valid then 3 invalid of every 10, the invalid ones cycling through the kinds.
  let sequence = 0;
  let invalidTurn = 0;
  let replayTurn = 0;
  function pick() {
    const slot = sequence % 10;
    sequence += 1;
    if (slot < 7) {
      const valid = pool.queue.shift();
      if (valid) return { kind: 'valid', expected: undefined, request: valid };
      pool.dry += 1;
    }
    const entry = invalid[invalidTurn % invalid.length];
    invalidTurn += 1;
    const request = entry.request ?? entry.pool[invalidTurn % entry.pool.length];
    return { kind: entry.kind, expected: entry.code, request };
  }
  /** autocannon calls this right before writing each request (pipelining 1). */
  function next(context) {
    built += 1;
    Object.assign(context, pick(), { sentAt: performance.now() });
    return context.request;
  }

  const started = performance.now();
  // RSS after the warm-up, then every 10 s: the trace shows whether it levels off.
  const samples = [];
  const sampler = (async () => {
    for (let at = warmupSeconds; at < seconds; at += 10) {
      await sleep(at * 1000 - (performance.now() - started));
      samples.push({ at, ...(await server.memory()) });
    }
  })();
  const result = await autocannon({
    url: origin,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (_request, context) => next(context),
        onResponse: (status, text, context) => record(context, status, text),
      },
    ],
  });
  const elapsed = (performance.now() - started) / 1000;
  await sampler;
  const end = await server.memory();
  pool.running = false;
  clearInterval(refresher);
  await pool.refilling;
  server.child.kill();

  const warm = samples[0];
  const growth = (end.rss - warm.rss) / warm.rss;
  const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
  const count = (kind) => [...(answers.get(kind)?.values() ?? [])].reduce((a, b) => a + b, 0);
  const total = [...answers.keys()].reduce((sum, kind) => sum + count(kind), 0);
  console.log(
    `\n${framework}: ${elapsed.toFixed(0)} s, ${connections} connections, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )}${maxAge === undefined ? '' : `, maxAge ${maxAge} s`}${nonceEntries === undefined ? '' : `, nonce store of ${nonceEntries}`}`,
  );
  latencies.sort((a, b) => a - b);
  const percentile = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
  console.log(
    `  ${total} responses checked (${(total / elapsed).toFixed(0)} req/s), latency p50 ${percentile(0.5)} ms, ` +
      `p99 ${percentile(0.99)} ms, max ${percentile(1)} ms; ${built - total} requests unanswered ` +
      `(in flight at the end, or written to a connection the server was closing)`,
  );
  console.log(
    `  autocannon: ${result['2xx']} 2xx, ${result['4xx']} 4xx, ${result['5xx']} 5xx, ${result.errors} errors, ${result.timeouts} time-outs`,
  );
  console.log(
    `  client signing: ${signRate.toFixed(0)} signatures/s before the run; valid pool ran dry ${pool.dry} times`,
  );
  for (const [kind, byCode] of answers) {
    const parts = [...byCode].map(([code, n]) => `${code} × ${n}`).join(', ');
    console.log(`  ${kind}: ${parts}`);
  }
  console.log(`  5xx: ${fiveHundreds}, wrong answers: ${wrong}`);
  const memory = (m) =>
    `${mb(m.rss)} (heap ${mb(m.heapUsed)} used of ${mb(m.heapTotal)}, ${m.nonces} nonces held)`;
  console.log(
    `  RSS after ${warm.at} s warm-up ${memory(warm)}, at the end ${memory(end)}: growth ${(growth * 100).toFixed(1)}%`,
  );
  const trace = samples.map((sample) => `${sample.at} s ${mb(sample.rss)}`).join(', ');
  console.log(`  RSS trace: ${trace}, end ${mb(end.rss)}; array buffers at the end ${mb(end.arrayBuffers)}`);
  const failed = wrong > 0 || fiveHundreds > 0 || result.errors > 0 || growth >= maxRssGrowth;
  if (failed) console.log(`  FAILED`);
  return failed;
}
