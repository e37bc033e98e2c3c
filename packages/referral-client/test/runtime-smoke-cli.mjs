// `node|bun|deno runtime-smoke-cli.mjs <baseUrl>`: prints the smoke result as one JSON line.
import { runSmoke } from './runtime-smoke.mjs';

const baseUrl = globalThis.Deno?.args?.[0] ?? globalThis.process?.argv?.[2];
if (baseUrl === undefined) throw new Error('usage: runtime-smoke-cli.mjs <baseUrl>');
console.log(JSON.stringify(await runSmoke(baseUrl)));
