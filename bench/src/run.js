/**
 * `pnpm bench`: sign and verify the RFC 9421 B.2 request with every algorithm, in one process,
 * with raw node:crypto, raw WebCrypto, @httpsig/core (Node path and WebCrypto path),
 * http-message-signatures and http-message-sig. Every contender's signatures are checked before
 * it is timed. Prints ops/s and ratios to raw node:crypto (and the WebCrypto path to raw WebCrypto).
 *
 *   BENCH_SMOKE=1   a few iterations, to check the code runs
 *   BENCH_ALGS=ed25519,hmac-sha256   a subset of algorithms
 *   BENCH_ROUNDS=3 BENCH_TIME_MS=400   rounds (best kept) and time per measurement
 *   BENCH_JSON=path   also write the figures as JSON
 */
import { writeFileSync } from 'node:fs';
import { contendersFor } from './contenders.js';
import { opsPerSecond, rounds, smoke } from './measure.js';
import { algorithms, expectedBase, signatureParamsValue } from './workload.js';

const selected = process.env.BENCH_ALGS ? process.env.BENCH_ALGS.split(',') : algorithms;

function fail(message) {
  console.error(`check failed: ${message}`);
  process.exit(1);
}

/** Every contender must produce valid signatures, and every verifier must refuse a tampered message. */
async function check(alg, { raw, messages }) {
  for (const contender of raw) {
    if (!(await contender.check())) fail(`${alg}: ${contender.name} does not verify`);
  }
  const [core] = messages;
  const notes = [];
  for (const contender of messages) {
    const headers = await contender.signatureOf();
    if (!(await contender.verifies(headers)))
      fail(`${alg}: ${contender.name} does not verify its own signature`);
    if (await contender.verifies({ ...headers, 'content-type': 'text/plain' })) {
      fail(`${alg}: ${contender.name} accepts a tampered message`);
    }
    const crossChecked = await core.verifies(headers);
    if (!crossChecked) {
      // Formats differ (e.g. parameter order, PSS salt length): note it, do not hide it.
      notes.push(
        `${contender.name}: its signature does not verify with @httpsig/core (${headers['signature-input']})`,
      );
    }
    if (contender.name.startsWith('@httpsig/core')) {
      const result = await contender.sign();
      if (result.base !== expectedBase(alg)) fail(`${alg}: ${contender.name} built another signature base`);
      if (result.signatureParams !== signatureParamsValue(alg))
        fail(`${alg}: ${contender.name} params differ`);
    }
  }
  // And the core verifiers accept the other implementations' signatures where formats allow.
  return notes;
}

async function timeAll({ raw, messages }) {
  const rows = [...raw, ...messages].map((contender) => ({ contender, sign: 0, verify: 0 }));
  const verifiers = new Map();
  for (const row of rows) {
    if (!row.contender.raw) verifiers.set(row, row.contender.verifier(await row.contender.signatureOf()));
  }
  // Rounds interleave the contenders so that they share the machine's conditions; the best round counts.
  for (let round = 0; round < rounds; round++) {
    for (const row of rows) {
      row.sign = Math.max(row.sign, await opsPerSecond(row.contender.sign));
      const verify = row.contender.raw ? row.contender.verify : verifiers.get(row);
      row.verify = Math.max(row.verify, await opsPerSecond(verify));
    }
  }
  return rows;
}

function format(n) {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0);
}

const results = {};
console.log(`node ${process.version}, ${smoke ? 'SMOKE MODE (figures meaningless)' : `${rounds} rounds`}`);
for (const alg of selected) {
  const contenders = await contendersFor(alg);
  const notes = await check(alg, contenders);
  const rows = await timeAll(contenders);
  const node = rows.find((r) => r.contender.name === 'raw node:crypto');
  const web = rows.find((r) => r.contender.name === 'raw WebCrypto');
  console.log(`\n${alg}`);
  console.log(
    `${'contender'.padEnd(34)}${'sign/s'.padStart(10)}${'ratio'.padStart(8)}${'verify/s'.padStart(10)}${'ratio'.padStart(8)}`,
  );
  results[alg] = {};
  for (const row of rows) {
    const { name } = row.contender;
    const signRatio = row.sign / node.sign;
    const verifyRatio = row.verify / node.verify;
    let line = `${name.padEnd(34)}${format(row.sign).padStart(10)}${signRatio.toFixed(2).padStart(8)}${format(row.verify).padStart(10)}${verifyRatio.toFixed(2).padStart(8)}`;
    const entry = { sign: row.sign, verify: row.verify, signRatio, verifyRatio };
    if (name.includes('WebCrypto path')) {
      entry.signRatioToWebCrypto = row.sign / web.sign;
      entry.verifyRatioToWebCrypto = row.verify / web.verify;
      line += `   (to raw WebCrypto: ${entry.signRatioToWebCrypto.toFixed(2)} / ${entry.verifyRatioToWebCrypto.toFixed(2)})`;
    }
    console.log(line);
    results[alg][name] = entry;
  }
  for (const note of notes) console.log(`  note: ${note}`);
}
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(results, null, 2)}\n`);
console.log('\nall contenders verified before timing');
