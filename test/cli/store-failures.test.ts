/**
 * A data folder whose database this user cannot write (another user's file, as after `sudo baton run`):
 * `baton run` stops with one message naming the database and saying what to do, and leaves it intact.
 * Run as root, the test runs `baton` as the unprivileged user `nobody` (root may write anything).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { baton, main } from './processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-store-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('a database this user cannot write', () => {
  it('stops baton run with one clear message and nothing written', async () => {
    chmodSync(dir, 0o755);
    const flow = join(dir, 'hello.yaml');
    writeFileSync(
      flow,
      'id: hello\nnamespace: test.ro\ntasks:\n  - id: x\n    type: io.kestra.plugin.core.log.Log\n    message: x\n',
    );
    const data = join(dir, 'data');
    expect(baton('run', flow, '--data', data).status).toBe(0);
    // The folder is open to all, its files stay root's: readable, not writable, by nobody.
    chmodSync(data, 0o777);
    for (const f of readdirSync(data)) chmodSync(join(data, f), 0o755);
    const r = spawnSync(process.execPath, [main, 'run', flow, '--data', data], {
      encoding: 'utf8',
      timeout: 60_000,
      uid: NOBODY,
      gid: NOBODY,
    });
    expect(r.status).toBe(3); // an environment Baton cannot work in (see src/errors.ts)
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `the database ${join(data, 'baton.db')} cannot be written .*writable by this user.*--data DIR`,
      ),
    );
    const store = await openSqliteStore({ path: join(data, 'baton.db') });
    expect(await store.countExecutions()).toBe(1);
    await store.close();
  });
});
