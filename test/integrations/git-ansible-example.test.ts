/**
 * examples/git-ansible-deploy.yaml, run as its header says: a bare repository holding the inventory and
 * the playbook (made here, the same files as in the header), then `baton run` (the built command) with
 * the inputs. Skipped, with a notice, where ansible-playbook is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { createTestRepo } from '../helpers/git-repo.ts';

const hasAnsible = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasAnsible)
  console.warn(
    'git-ansible-example.test.ts: skipped, ansible-playbook is not installed (apt-get install ansible-core)',
  );

const example = new URL('../../examples/git-ansible-deploy.yaml', import.meta.url).pathname;
const bin = new URL('../../bin/baton.js', import.meta.url).pathname;

/** The files of the header comment of the example (between `cat > deploy.yml <<'YAML'` and `YAML`). */
const repoFiles = (): Record<string, string> => {
  const lines = readFileSync(example, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes("cat > deploy.yml <<'YAML'"));
  const end = lines.findIndex((l, i) => i > start && l.trim() === '#   YAML');
  const playbook = lines
    .slice(start + 1, end)
    .map((l) => l.replace(/^# {3}/, ''))
    .join('\n');
  return { 'inventory.ini': 'localhost ansible_connection=local\n', 'deploy.yml': `${playbook}\n` };
};

const dir = mkdtempSync(join(tmpdir(), 'baton-example-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasAnsible)('examples/git-ansible-deploy.yaml', () => {
  it('clones the deployment repository and runs its playbook, which deploys the version', async () => {
    const repo = createTestRepo();
    try {
      repo.commit(repoFiles());
      const target = join(dir, 'target');
      const r = spawnSync(
        process.execPath,
        [
          bin,
          'run',
          example,
          '--json',
          '--data',
          join(dir, 'data'),
          '-i',
          `repository=${repo.url}`,
          '-i',
          'version=1.4.0',
          '-i',
          `target=${target}`,
        ],
        { encoding: 'utf8', timeout: 180_000 },
      );
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(readFileSync(join(target, 'RELEASE'), 'utf8')).toBe('version=1.4.0\n');
      const store = await openSqliteStore({ path: join(dir, 'data', 'baton.db') });
      try {
        const executionId = (JSON.parse(r.stdout.split('\n')[0]!) as { id: string }).id;
        const logs = (await store.queryLogs({ executionId })).map((l) => l.message).join('\n');
        expect(logs).toContain(`released 1.4.0 to ${target}`);
        expect(logs).toContain(`version 1.4.0 deployed to ${target}`);
      } finally {
        await store.close();
      }
    } finally {
      repo.dispose();
    }
  });
});
