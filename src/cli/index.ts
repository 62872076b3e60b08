#!/usr/bin/env node
import { constants } from 'node:os';
import { parseCliArgs } from './args.js';
import { main } from './main.js';

const argv = process.argv.slice(2);
const controller = new AbortController();
// Only a sync has writes and a state to finish; anything else just stops.
const graceful = (() => {
  try {
    return parseCliArgs(argv).command === 'sync';
  } catch {
    return false;
  }
})();
let signals = 0;
const stop = (signal: NodeJS.Signals) => {
  signals += 1;
  const code = 128 + (constants.signals[signal] ?? 2);
  // The first signal lets the current write finish and the state be saved; a second one ends at once.
  if (!graceful || signals > 1) process.exit(code);
  process.stderr.write(`\n${signal}: stopping after the current write (again to stop at once)...\n`);
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// `cf-insights report | head`: the reader left; that is no error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await main(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
// Everything written reaches the reader first (pipes can be asynchronous); then undici
// keep-alive sockets and timers must not hold the process open.
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
setTimeout(() => process.exit(code), 100).unref();
