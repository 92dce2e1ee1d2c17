/**
 * The demo: every client stack (fetch, axios, undici, node:http) against every server
 * integration (Express, Fastify, Koa, Web-standard), with a valid signed request and seven
 * attacks. Keys are generated for the run, servers listen on free loopback ports, nothing is
 * configured. Prints the matrix, then explains one refusal from the two signature bases.
 */
import { generateKey } from '@httpsig/core';
import { clients, resend } from './clients.js';
import { servers } from './servers.js';

/** @typedef {import('./clients.js').Tamper} Tamper */
/** @typedef {import('./clients.js').Exchange} Exchange */
/** @typedef {import('@httpsig/core').SignerOptions} SignerOptions */
/** @typedef {import('@httpsig/core').HttpSigKey} HttpSigKey */
/**
 * @typedef {object} Case
 * @property {string} id
 * @property {string} title
 * @property {string | undefined} expect the refusal code, or undefined for "accepted"
 * @property {(keys: DemoKeys) => SignerOptions} [signing] defaults to the trusted ed25519 key
 * @property {Tamper} [tamper]
 * @property {true} [replay] re-send the valid request's capture instead of a new request
 */
/** @typedef {{ ed25519: HttpSigKey, rsa: HttpSigKey, stranger: HttpSigKey }} DemoKeys */
/**
 * @typedef {object} Result
 * @property {string} client
 * @property {string} server
 * @property {string} case
 * @property {number} status
 * @property {string | undefined} code the problem's code, as the server sent it
 * @property {boolean} accepted
 * @property {boolean} ok as expected
 * @property {any} answer the parsed response body
 */

const order = JSON.stringify({ item: 'book', amount: 10 });

/** @type {readonly Case[]} */
export const cases = [
  { id: 'valid', title: 'valid signed request', expect: undefined },
  {
    id: 'body',
    title: 'tampered body',
    expect: 'ERR_HTTPSIG_DIGEST_MISMATCH',
    // Same length, so Content-Length still holds: only the digest gives it away.
    tamper: { body: (body) => body.replace('"amount":10', '"amount":99') },
  },
  {
    id: 'header',
    title: 'tampered covered header',
    expect: 'ERR_HTTPSIG_INVALID_SIGNATURE',
    tamper: {
      headers: (headers) => {
        headers['content-type'] = 'text/plain';
      },
    },
  },
  { id: 'replay', title: 'replayed nonce', expect: 'ERR_HTTPSIG_REPLAY', replay: true },
  {
    id: 'expired',
    title: 'expired signature',
    expect: 'ERR_HTTPSIG_EXPIRED',
    // A clock an hour behind: `created` is older than the servers' maxAge (300 s).
    signing: (keys) => ({ key: keys.ed25519, now: () => Date.now() / 1000 - 3600 }),
  },
  {
    id: 'unknown-key',
    title: 'unknown key',
    expect: 'ERR_HTTPSIG_UNKNOWN_KEY',
    signing: (keys) => ({ key: keys.stranger }),
  },
  {
    id: 'algorithm',
    title: 'algorithm not allowed',
    expect: 'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    // A trusted key, but the servers accept ed25519 signatures only.
    signing: (keys) => ({ key: keys.rsa }),
  },
  {
    id: 'unsigned',
    title: 'no signature',
    expect: 'ERR_HTTPSIG_MISSING_SIGNATURE',
    tamper: {
      headers: (headers) => {
        delete headers.signature;
        delete headers['signature-input'];
      },
    },
  },
];

/** The case explained after the matrix, and the pair it is taken from. */
const explained = { case: 'header', client: 'fetch', server: 'express' };

/** @param {string} text */
function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * @param {string} client @param {string} server @param {Case} testCase @param {Exchange} exchange
 * @returns {Result}
 */
function judge(client, server, testCase, exchange) {
  const answer = parse(exchange.text);
  const accepted = exchange.status === 200 && answer?.accepted === true;
  const code = accepted ? undefined : typeof answer?.code === 'string' ? answer.code : undefined;
  const ok = testCase.expect === undefined ? accepted : !accepted && code === testCase.expect;
  return { client, server, case: testCase.id, status: exchange.status, code, accepted, ok, answer };
}

/**
 * Run every case from one client against one server, in order (the replay re-sends what the
 * valid case sent). `onBase` receives the base each signature was made over.
 * @param {string} clientName @param {import('./servers.js').RunningServer} server @param {DemoKeys} keys
 * @param {(caseId: string, base: string) => void} onBase
 */
async function runPair(clientName, server, keys, onBase) {
  const client = /** @type {import('./clients.js').Client} */ (clients[clientName]);
  const url = `${server.url}/orders?currency=EUR`;
  /** @type {Result[]} */
  const results = [];
  /** @type {Exchange | undefined} */
  let valid;
  for (const testCase of cases) {
    /** @type {Exchange} */
    let exchange;
    if (testCase.replay) {
      if (!valid?.sent) throw new Error(`${clientName}: nothing was captured to replay`);
      exchange = await resend(url, valid.sent);
    } else {
      const options = testCase.signing?.(keys) ?? { key: keys.ed25519 };
      const key = /** @type {HttpSigKey} */ (options.key);
      // A signing callback around the key: it sees the exact base the client signs.
      const { key: _key, ...rest } = options;
      const signing = {
        ...rest,
        alg: key.alg,
        ...(key.keyid === undefined ? {} : { keyid: key.keyid }),
        sign: (/** @type {Uint8Array<ArrayBuffer>} */ data) => {
          onBase(testCase.id, new TextDecoder().decode(data));
          return key.sign(data);
        },
      };
      exchange = await client({
        url,
        signing,
        body: order,
        ...(testCase.tamper ? { tamper: testCase.tamper } : {}),
      });
      if (testCase.id === 'valid') valid = exchange;
    }
    results.push(judge(clientName, server.name, testCase, exchange));
  }
  return results;
}

/** ANSI styles, or none. */
function styles(/** @type {boolean} */ color) {
  /** @param {string} code */
  const style = (code) => (/** @type {string} */ text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { bold: style('1'), dim: style('2'), green: style('32'), red: style('31') };
}

/**
 * The matrix: one block per case, one line per client, one column per server.
 * @param {Result[]} results @param {string[]} serverNames @param {ReturnType<typeof styles>} s
 */
function matrix(results, serverNames, s) {
  const width = 26;
  const lines = [];
  lines.push(
    s.bold(
      `${'case / client'.padEnd(14)}${serverNames.map((name) => name.padEnd(width)).join('')}`.trimEnd(),
    ),
  );
  for (const testCase of cases) {
    const expected = testCase.expect === undefined ? 'accepted' : `refused ${testCase.expect}`;
    lines.push('');
    lines.push(`${s.bold(testCase.title)} ${s.dim(`(expected: ${expected})`)}`);
    for (const client of Object.keys(clients)) {
      const cells = serverNames.map((server) => {
        const r = results.find((x) => x.client === client && x.server === server && x.case === testCase.id);
        if (!r) return ''.padEnd(width);
        // Codes without their common prefix, to keep the columns narrow.
        const what = r.accepted ? 'accepted' : (r.code ?? 'no code').replace(/^ERR_HTTPSIG_/, '');
        const cell = `${r.ok ? '✓' : '✗'} ${r.status} ${what}`.padEnd(width);
        return r.ok ? s.green(cell) : s.red(cell);
      });
      lines.push(`  ${client.padEnd(12)}${cells.join('')}`.trimEnd());
    }
  }
  return lines;
}

/**
 * The client's base next to the server's, line by line: equal lines once, the lines that differ
 * marked `-` (what the client signed) and `+` (what the server rebuilt from what it received).
 * @param {string} clientBase @param {string} serverBase @param {ReturnType<typeof styles>} s
 */
export function compareBases(clientBase, serverBase, s = styles(false)) {
  const ours = clientBase.split('\n');
  const theirs = serverBase.split('\n');
  const lines = [];
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    const a = ours[i];
    const b = theirs[i];
    if (a === b) {
      lines.push(`    ${a}`);
      continue;
    }
    // Padded so that both markers line up.
    const width = Math.max(a?.length ?? 0, b?.length ?? 0);
    if (a !== undefined) lines.push(s.red(`  - ${a.padEnd(width)}   ◀ client signed`));
    if (b !== undefined) lines.push(s.green(`  + ${b.padEnd(width)}   ◀ server received`));
  }
  return lines;
}

/**
 * Run the demo. Returns the process status: 0 only when every valid request was accepted and
 * every attack refused with the expected code.
 * @param {{ log?: (line: string) => void, color?: boolean }} [options]
 * @returns {Promise<{ status: number, results: Result[] }>}
 */
export async function main(options = {}) {
  const log = options.log ?? console.log;
  const s = styles(options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR));
  const started = Date.now();

  const ed25519 = await generateKey('ed25519', { keyid: 'demo-ed25519' });
  const rsa = await generateKey('rsa-pss-sha512', { keyid: 'demo-rsa' });
  const stranger = await generateKey('ed25519', { keyid: 'stranger' });
  const keys = { ed25519: ed25519.privateKey, rsa: rsa.privateKey, stranger: stranger.privateKey };

  /** @type {import('@httpsig/server').VerifierOptions} */
  const policy = {
    // Both demo keys are trusted; the stranger's is not.
    keys: { 'demo-ed25519': ed25519.publicKey, 'demo-rsa': rsa.publicKey },
    algorithms: ['ed25519'],
    // Refusals carry the server's signature base, for the explanation below.
    debug: 'force',
  };
  const serverNames = Object.keys(servers);
  /** @type {import('./servers.js').RunningServer[]} */
  const running = [];
  try {
    for (const name of serverNames) {
      const start = /** @type {import('./servers.js').StartServer} */ (servers[name]);
      running.push(await start(policy));
    }
    const clientBases = new Map();
    const pairs = running.flatMap((server) =>
      Object.keys(clients).map((client) =>
        runPair(client, server, keys, (caseId, base) => {
          clientBases.set(`${client} ${server.name} ${caseId}`, base);
        }),
      ),
    );
    const results = (await Promise.all(pairs)).flat();

    log(
      s.bold(
        `HTTP Message Signatures: ${Object.keys(clients).length} clients × ${serverNames.length} servers × ${cases.length} cases`,
      ),
    );
    log(s.dim('keys generated for this run: demo-ed25519 (ed25519), demo-rsa (rsa-pss-sha512), stranger'));
    log(s.dim('servers: only ed25519 signatures, created at most 300 s ago, with a fresh nonce'));
    log('');
    for (const line of matrix(results, serverNames, s)) log(line);

    // One refusal explained: what the client signed against what the server rebuilt.
    const shown = results.find(
      (r) => r.case === explained.case && r.client === explained.client && r.server === explained.server,
    );
    const title = cases.find((c) => c.id === explained.case)?.title;
    const clientBase = clientBases.get(`${explained.client} ${explained.server} ${explained.case}`);
    const serverBase = shown?.answer?.debug?.signatureBase;
    log('');
    log(s.bold(`Why "${title}" was refused (${explained.client} → ${explained.server}: ${shown?.code})`));
    log(s.dim('  the base the client signed, next to the one the server rebuilt from what it received'));
    log(s.dim('  (problem.debug.signatureBase in its refusal); the line that differs is marked:'));
    if (typeof clientBase === 'string' && typeof serverBase === 'string') {
      for (const line of compareBases(clientBase, serverBase, s)) log(line);
    } else {
      log(s.red('  (no signature base to compare)'));
    }

    const failed = results.filter((r) => !r.ok);
    const attacks = results.filter((r) => cases.find((c) => c.id === r.case)?.expect !== undefined);
    log('');
    if (failed.length === 0) {
      log(
        s.green(
          `${results.length - attacks.length} valid requests accepted, ${attacks.length} attacks refused with the expected code (${((Date.now() - started) / 1000).toFixed(1)} s).`,
        ),
      );
    } else {
      log(s.red(`${failed.length} of ${results.length} outcomes were not as expected:`));
      for (const r of failed) {
        log(
          s.red(
            `  ${r.client} → ${r.server}, ${r.case}: ${r.status} ${r.code ?? (r.accepted ? 'accepted' : '')}`,
          ),
        );
      }
    }
    return { status: failed.length === 0 && typeof serverBase === 'string' ? 0 : 1, results };
  } finally {
    await Promise.all(running.map((server) => server.close()));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    ({ status }) => {
      process.exitCode = status;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
