import { main } from './main';

// A closed pipe (e.g. `httpsig sign msg | head -1`) is not a failure worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

// `httpsig serve` runs until interrupted; it then closes its server and exits cleanly.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());

main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: stop.signal,
}).then((code) => {
  process.exitCode = code;
});
