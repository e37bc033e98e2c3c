#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
  env: process.env,
};

try {
  const result = await runCli(process.argv.slice(2), io);
  if (typeof result === 'number') {
    process.exitCode = result;
  } else {
    const stop = () => {
      void result.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  process.stderr.write(`tahaffuz-server failed: ${error instanceof Error ? error.name : 'error'}\n`);
  process.exitCode = 1;
}
