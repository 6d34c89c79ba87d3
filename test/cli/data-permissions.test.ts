/**
 * The data folder holds the database, internal storage and the encryption key: after a real `baton run`
 * nothing in it is readable by other users, whatever the umask, and a key file opened up since is closed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const main = new URL('../../bin/baton.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'baton-perms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FLOW = `id: files
namespace: baton.perms
inputs:
  - id: upload
    type: FILE
tasks:
  - id: make
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - cat "{{ inputs.upload }}" > out.txt
    outputFiles:
      - out.txt
`;

/** Every path under `root` with its permission bits. */
const modes = (root: string): [string, number][] => {
  const out: [string, number][] = [[root, statSync(root).mode & 0o777]];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, e.name);
    if (e.isDirectory()) out.push(...modes(path));
    else out.push([path, statSync(path).mode & 0o777]);
  }
  return out;
};

const run = (data: string) =>
  spawnSync(process.execPath, [main, 'run', 'flow.yaml', '--input', 'upload=@upload.txt', '--data', data], {
    encoding: 'utf8',
    cwd: dir,
    timeout: 60_000,
  });

describe('data folder permissions', () => {
  it('keeps the key, the database and internal storage readable by their owner only', () => {
    writeFileSync(join(dir, 'flow.yaml'), FLOW);
    writeFileSync(join(dir, 'upload.txt'), 'uploaded\n');
    const data = join(dir, 'data');
    const r = run(data);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const all = modes(data);
    // An input file and a task's output file, at least, with their folders.
    expect(all.filter(([p]) => p.endsWith('upload.txt') || p.endsWith('out.txt'))).toHaveLength(2);
    expect(all.filter(([, mode]) => (mode & 0o077) !== 0)).toEqual([]);
    expect(statSync(join(data, 'encryption.key')).mode & 0o777).toBe(0o600);
  });

  it('closes a key file and a storage folder opened up since', () => {
    const data = join(dir, 'data');
    chmodSync(join(data, 'encryption.key'), 0o644);
    chmodSync(join(data, 'storage'), 0o755);
    expect(run(data).status).toBe(0);
    expect(statSync(join(data, 'encryption.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(data, 'storage')).mode & 0o777).toBe(0o700);
  });
});
