import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonFileStore } from './store.js';
import { sampleDialogue } from '../test/sample-dialogue.js';

// A real crash: a separate `node` process saves a large dialogue over and over and is killed with
// SIGKILL at a random moment. The store's own sources run there, transpiled as they are, inside the
// package (ignored `.tmp/`) so that zod resolves.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let work = '';

const WRITER = `
import { JsonFileStore } from './store.js';
const store = new JsonFileStore(process.argv[2]);
let d = await store.load('test-dialogue');
process.stdout.write('ready\\n');
for (;;) {
  const n = d.version;
  d = await store.save({ ...d, title: 'Version ' + (n + 1), participants: d.participants.map((p) => ({ ...p, title: 'Title ' + n })) }, n);
}
`;

beforeAll(async () => {
  await mkdir(join(packageDir, '.tmp'), { recursive: true });
  work = await mkdtemp(join(packageDir, '.tmp', 'store-crash-'));
  for (const name of ['store.ts', 'store-validation.ts', 'errors.ts', 'model.ts']) {
    const js = ts.transpileModule(await readFile(join(packageDir, 'src', name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    await writeFile(join(work, name.replace(/\.ts$/, '.js')), js);
  }
  await writeFile(join(work, 'package.json'), '{"type":"module"}');
  await writeFile(join(work, 'writer.js'), WRITER);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function killMidWrite(storeDir: string, afterMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(work, 'writer.js'), storeDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), afterMs));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`writer exited ${code}: ${stderr}`))));
  });
}

describe('JsonFileStore under a real crash', () => {
  it('always loads a whole version after the writer is killed mid-save', async () => {
    const storeDir = join(work, 'store');
    const store = new JsonFileStore(storeDir);
    const big = sampleDialogue();
    big.participants = Array.from({ length: 800 }, (_, i) => ({ ...big.participants[i % 8]!, id: `x${i}`, email: `x${i}@example.org` }));
    big.working_groups = big.working_groups.map((g) => ({ ...g, member_ids: [] }));
    await store.save(big, 0);
    let last = 1;
    for (const afterMs of [60, 350, 700, 1100]) {
      await killMidWrite(storeDir, afterMs);
      const loaded = await store.load('test-dialogue');
      expect(loaded.version).toBeGreaterThanOrEqual(last);
      expect(loaded.title).toBe(loaded.version === 1 ? 'Test dialogue' : `Version ${loaded.version}`);
      last = loaded.version;
      // Whatever the killed writer left behind (a temporary file, its lock) does not block the next writer.
      await store.save({ ...loaded, title: `Version ${loaded.version + 1}` }, loaded.version);
      last += 1;
    }
    // The killed writer did save between kills, so the kills came while it was writing.
    expect(last).toBeGreaterThan(5);
    const leftovers = (await readdir(storeDir)).filter((n) => n !== 'test-dialogue.json');
    expect(leftovers.every((n) => n.endsWith('.tmp'))).toBe(true);
  });
});
