// The server under test, in its own process: `server-process.mjs sqlite <file>` or
// `server-process.mjs postgres <url> <schema>`. Prints one JSON line { url, key } once it listens
// and stops when its stdin closes.
import { startBenchServer } from '../lib/bench-server.js';

const [kind, location, schema] = process.argv.slice(2);
if (location === undefined || (kind !== 'sqlite' && kind !== 'postgres')) {
  console.error('usage: server-process sqlite <file> | postgres <url> <schema>');
  process.exit(2);
}
const { server, intakeKey } = await startBenchServer(
  kind === 'sqlite' ? { sqlite: location } : { postgres: location, ...(schema === undefined ? {} : { schema }) },
);
process.stdout.write(`${JSON.stringify({ url: server.url, key: intakeKey })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
