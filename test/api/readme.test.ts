/** The README's embedding example runs as printed (against the sources), in an empty folder. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'baton-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the embedding example prints what its comment says', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf("```ts\nimport { createBaton, defineTask } from 'baton';");
  expect(start).toBeGreaterThan(0);
  const code = readme.slice(start + 6, readme.indexOf('```', start + 6));
  const index = new URL('../../src/index.ts', import.meta.url).pathname;
  writeFileSync(join(dir, 'example.ts'), code.replace("from 'baton'", `from '${index}'`));
  const r = spawnSync(process.execPath, ['example.ts'], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe("SUCCESS { greeting: 'Hello, 42' }");
});
