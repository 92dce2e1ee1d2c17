/**
 * `pnpm bench:server`: Express and Fastify verifying ed25519-signed POSTs with a small JSON
 * body, under autocannon on loopback. Each server runs in its own process, verifying with
 * @httpsig (Node path, then WebCrypto path) and with a minimal inline verifier over the same
 * node:crypto key; req/s ratios are to the inline verifier. Then 200k requests through the
 * @httpsig verifier of each framework, with memory after GC before and after.
 *
 *   BENCH_SMOKE=1   short runs, to check the code runs
 *   BENCH_DURATION=10 BENCH_CONNECTIONS=10 BENCH_MEMORY_REQUESTS=200000
 */
import { fork } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { importKey, signMessage } from '@httpsig/core';
import autocannon from 'autocannon';

const smoke = process.env.BENCH_SMOKE === '1';
const duration = smoke ? 1 : Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const memoryRequests = smoke ? 2000 : Number(process.env.BENCH_MEMORY_REQUESTS ?? 200_000);
const frameworks = ['express', 'fastify'];
const variants = ['inline', 'httpsig', 'httpsig-webcrypto'];

const pair = generateKeyPairSync('ed25519', {
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const privateKey = await importKey(pair.privateKey, { alg: 'ed25519', keyid: 'bench-client' });

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill();
});

async function start(framework, variant) {
  const port = await freePort();
  const child = fork(new URL('./server-app.js', import.meta.url), {
    execArgv: ['--expose-gc'],
    env: {
      ...process.env,
      FRAMEWORK: framework,
      VARIANT: variant,
      PUBLIC_PEM: pair.publicKey,
      PORT: String(port),
    },
  });
  children.add(child);
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${framework}/${variant} exited with ${code}`)));
  });
  const memory = () =>
    new Promise((resolve) => {
      child.once('message', (message) => resolve(message.memory));
      child.send('memory');
    });
  return {
    url: `http://127.0.0.1:${port}/orders`,
    memory,
    stop: () => {
      children.delete(child);
      child.kill();
    },
  };
}

async function signedRequest(url, body = '{"amount":10}') {
  const request = { method: 'POST', url, headers: { 'content-type': 'application/json' }, body };
  const signed = await signMessage(request, {
    key: privateKey,
    components: ['@method', '@target-uri', 'content-type'],
    params: { created: true, keyid: 'bench-client' },
  });
  return { method: 'POST', headers: { ...request.headers, ...signed.headers }, body };
}

/** A signed request is accepted and a tampered one refused, before anything is timed. */
async function check(name, url, request) {
  const ok = await fetch(url, request);
  const answer = ok.status === 200 ? await ok.json() : undefined;
  if (answer?.amount !== 10) {
    console.error(`check failed: ${name} did not hand the parsed body to the route (${ok.status})`);
    process.exit(1);
  }
  const tampered = await fetch(url, { ...request, body: '{"amount":99}' });
  // A wrong digest is a 400 for @httpsig (malformed message), a 401 for the inline verifier.
  if (tampered.status < 400 || tampered.status > 401) {
    console.error(`check failed: ${name} answered ${tampered.status} to a tampered request`);
    process.exit(1);
  }
}

async function load(url, request, options) {
  const result = await autocannon({ url, ...request, connections, ...options });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  return result;
}

const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
const results = {};
console.log(
  `node ${process.version}, ${connections} connections, ${duration} s per run${smoke ? ' (SMOKE MODE: figures meaningless)' : ''}`,
);
for (const framework of frameworks) {
  console.log(`\n${framework}`);
  console.log(
    `${'verifier'.padEnd(22)}${'req/s'.padStart(10)}${'ratio'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}`,
  );
  results[framework] = {};
  for (const variant of variants) {
    const server = await start(framework, variant);
    try {
      const request = await signedRequest(server.url);
      await check(`${framework}/${variant}`, server.url, request);
      await load(server.url, request, { duration: smoke ? 1 : 2 });
      const result = await load(server.url, request, { duration });
      const entry = { reqPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
      results[framework][variant] = entry;
      const ratio = entry.reqPerSec / (results[framework].inline?.reqPerSec ?? entry.reqPerSec);
      console.log(
        `${variant.padEnd(22)}${entry.reqPerSec.toFixed(0).padStart(10)}${ratio.toFixed(2).padStart(8)}${String(entry.p50).padStart(9)}${String(entry.p99).padStart(9)}`,
      );
      if (variant === 'httpsig') {
        const before = await server.memory();
        await load(server.url, request, { amount: memoryRequests });
        const after = await server.memory();
        entry.memory = { before, after, requests: memoryRequests };
        console.log(
          `  memory over ${memoryRequests} requests (after GC): heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)}, rss ${mb(before.rss)} → ${mb(after.rss)}`,
        );
      }
    } finally {
      server.stop();
    }
  }
}
if (process.env.BENCH_JSON) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(results, null, 2)}\n`);
}
