/**
 * Load under attack (outside CI): a verifying Node server takes signed requests from autocannon
 * for LOAD_SECONDS (default 60) while hostile clients run beside it — slow bodies, bodies
 * aborted half-way, keyids whose resolver hangs, floods of 1,000 signatures, 1 MB fields.
 * Prints throughput and latency of the honest traffic and what each hostile client got; exits
 * non-zero when an honest request failed or a hostile one was not refused with its code.
 * Uses the built packages: run `pnpm build` first (scripts/load.sh does).
 */
import { createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { connect } from 'node:net';

// autocannon and the workspace packages are dependencies of bench/.
const require = createRequire(new URL('../bench/package.json', import.meta.url));
const autocannon = require('autocannon');
const { generateKey, signMessage } = require('@httpsig/core');
const { createVerifier } = require('@httpsig/server');
const { incomingRequestInfo, readRawBody } = require('@httpsig/server/node');

const seconds = Number(process.env.LOAD_SECONDS ?? 60);
const { privateKey, publicKey } = await generateKey('ed25519', { keyid: 'client-1' });

// Resolver: the honest key at once, a hang for the keyid 'slow-key' (bounded by keyResolverTimeout).
const keys = (keyid) =>
  keyid === 'slow-key' ? new Promise(() => {}) : keyid === 'client-1' ? publicKey : undefined;
const verifier = createVerifier({ keys, nonceStore: false, maxAge: 3600, keyResolverTimeout: 500 });

const server = createServer(async (req, res) => {
  try {
    const body = await readRawBody(req, 1 << 20, { timeoutMs: 1000 });
    const outcome = await verifier.verify(incomingRequestInfo(req, body));
    if (outcome.ok) res.writeHead(200).end('ok');
    else res.writeHead(outcome.status, outcome.headers).end(JSON.stringify(outcome.problem));
  } catch (error) {
    if (error?.name !== 'HttpSigError') return void res.destroy();
    res.writeHead(error.code === 'ERR_HTTPSIG_BODY_TIMEOUT' ? 408 : 400, { connection: 'close' });
    res.end(JSON.stringify({ code: error.code }));
  }
});
server.keepAliveTimeout = 5000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;
const origin = `http://127.0.0.1:${port}`;

async function signedHeaders(keyid) {
  const message = {
    method: 'POST',
    url: `${origin}/orders`,
    headers: { 'content-type': 'application/json' },
    body: '{"item":1}',
  };
  const { headers } = await signMessage(message, {
    key: privateKey,
    components: ['@method', '@target-uri', 'content-type', 'content-digest'],
    params: { created: true, keyid },
  });
  return { ...message.headers, ...headers };
}

const honestHeaders = await signedHeaders('client-1');
const slowKeyHeaders = await signedHeaders('slow-key');

/** What each hostile client got: code → count. */
const outcomes = new Map();
function record(kind, code) {
  const key = `${kind}: ${code}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}

function send(kind, headers, body, expect) {
  return new Promise((resolve) => {
    const req = httpRequest(`${origin}/orders`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => {
        let code = String(res.statusCode);
        try {
          code = JSON.parse(text).code ?? code;
        } catch {}
        record(kind, code === expect ? `${code} (expected)` : `${code} (UNEXPECTED)`);
        resolve();
      });
    });
    req.on('error', () => {
      record(kind, 'connection error (UNEXPECTED)');
      resolve();
    });
    req.end(body);
  });
}

function slowBody() {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n');
      const drip = setInterval(() => socket.write('x'), 100);
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
      });
      socket.on('close', () => {
        clearInterval(drip);
        record(
          'slow body',
          received.includes('ERR_HTTPSIG_BODY_TIMEOUT')
            ? 'ERR_HTTPSIG_BODY_TIMEOUT (expected)'
            : 'no 408 (UNEXPECTED)',
        );
        resolve();
      });
      socket.on('error', () => {});
      setTimeout(() => socket.destroy(), 3000);
    });
  });
}

function abortedBody() {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\nhalf');
      setTimeout(() => {
        socket.destroy();
        record('aborted body', 'aborted');
        resolve();
      }, 20);
    });
    socket.on('error', () => resolve());
  });
}

const flood = Array.from({ length: 1000 }, (_, i) => `s${i}=()`).join(',');
const hostile = [
  slowBody,
  abortedBody,
  () => send('hanging resolver', slowKeyHeaders, '{"item":1}', 'ERR_HTTPSIG_KEY_UNAVAILABLE'),
  () =>
    send(
      '1,000 signatures',
      { ...honestHeaders, 'signature-input': flood },
      '{"item":1}',
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
    ),
  // Node's own header limit (16 KiB) answers 431 before any code runs.
  () => send('1 MB field', { ...honestHeaders, signature: 'a'.repeat(1 << 20) }, '{"item":1}', '431'),
];

let running = true;
async function hostileLoop(attack) {
  while (running) await attack();
}
const attackers = hostile.flatMap((attack) => [hostileLoop(attack), hostileLoop(attack)]);

const result = await autocannon({
  url: `${origin}/orders`,
  method: 'POST',
  headers: honestHeaders,
  body: '{"item":1}',
  connections: 20,
  duration: seconds,
});
running = false;
await Promise.all(attackers);
server.closeAllConnections();
server.close();

console.log(`honest traffic, ${seconds} s, 20 connections:`);
console.log(
  `  ${result.requests.average.toFixed(0)} req/s average, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
);
console.log(
  `  ${result['2xx']} verified, ${result.non2xx} refused, ${result.errors} errors, ${result.timeouts} time-outs`,
);
console.log('hostile clients:');
for (const [key, count] of [...outcomes].sort()) console.log(`  ${key} × ${count}`);
const unexpected = [...outcomes.keys()].some((key) => key.includes('UNEXPECTED'));
const honestFailed = result.non2xx > 0 || result.errors > 0 || result.timeouts > 0;
process.exit(unexpected || honestFailed ? 1 : 0);
