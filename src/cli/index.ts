#!/usr/bin/env node
import { main } from './main.js';

const controller = new AbortController();
let signals = 0;
const stop = (signal: NodeJS.Signals) => {
  signals += 1;
  // The first signal lets the current write finish and the state be saved; a second one ends at once.
  if (signals > 1) process.exit(130);
  process.stderr.write(`\n${signal}: stopping after the current write...\n`);
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
// undici keep-alive sockets and timers must not hold the process open.
setTimeout(() => process.exit(code), 100).unref();
