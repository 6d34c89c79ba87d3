/**
 * A full disk under the data folder, for real: an 8 MiB tmpfs. A script filling it stops `baton run` at
 * once with one line naming the folder (no stack trace, no task run again); a start on a disk still full
 * says so instead of running anything; a task writing an output file bigger than what is left fails
 * with a clear message, without spending its retries. Mounting needs root (or CAP_SYS_ADMIN): elsewhere
 * the tests are skipped with a one-line notice.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-full-disk-'));
const disk = join(dir, 'disk');
mkdirSync(disk);
const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', disk], { encoding: 'utf8' });
const mounted = mount.status === 0;
if (!mounted)
  console.warn(
    `full-disk tests skipped: cannot mount a tmpfs here (${(mount.stderr || mount.error?.message || '').trim()})`,
  );
afterAll(() => {
  if (mounted && spawnSync('umount', [disk]).status !== 0) spawnSync('umount', ['-l', disk]);
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `baton run FILE --data DATA` to its end, timing it. */
const run = (file: string, data: string) => {
  const started = Date.now();
  const r = spawnSync(process.execPath, [main, 'run', file, '--data', data], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...r, ms: Date.now() - started, errLines: r.stderr.trim().split('\n') };
};

/** Lines in a marker file, kept OUTSIDE the full disk so that counting never fails. */
const count = (marker: string) =>
  existsSync(marker) ? readFileSync(marker, 'utf8').trim().split('\n').length : 0;

describe.skipIf(!mounted)('a full disk under the data folder', () => {
  const marker = join(dir, 'filler-runs');
  const data = join(disk, 'data');
  const file = join(dir, 'filler.yaml');
  writeFileSync(
    file,
    `id: filler
namespace: test.full
tasks:
  - id: fill
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - echo run >> "${marker}"
      - head -c 12000000 /dev/zero > "${disk}/filler" || true
      - yes 'a line of output, then another, and so on until the logs fill what is left' | head -n 20000
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: not reached
`,
  );

  it('a script filling it stops baton run at once: one line naming the folder, the task ran once', () => {
    const r = run(file, data);
    expect(r.status, r.stderr).toBe(3);
    expect(r.ms).toBeLessThan(20_000);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(
      new RegExp(`^baton: the disk holding ${join(data, 'baton.db')} is full \\(.*Free some space`),
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(count(marker)).toBe(1);
  });

  it('a start on the disk still full says it is full, and runs nothing', () => {
    const r = run(file, data);
    expect(r.status, r.stderr).toBe(3);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(
      new RegExp(`^baton run: the disk holding ${join(data, 'baton.db')} is full \\(.*Free some space`),
    );
    expect(count(marker)).toBe(1);
  });

  it('a task writing a file bigger than what is left fails with a clear message, its retries unspent', () => {
    rmSync(join(disk, 'filler'));
    rmSync(data, { recursive: true });
    const outputs = join(disk, 'outputs');
    const runs = join(dir, 'output-runs');
    const flow = join(dir, 'output.yaml');
    writeFileSync(
      flow,
      `id: output
namespace: test.full
tasks:
  - id: big
    type: io.kestra.plugin.scripts.shell.Commands
    outputFiles: [big.bin]
    retry:
      type: constant
      interval: PT0.1S
      maxAttempt: 3
    commands:
      - echo run >> "${runs}"
      - head -c 12000000 /dev/zero > big.bin
`,
    );
    const r = run(flow, outputs);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    const storage = join(outputs, 'storage');
    expect(r.stdout).toMatch(
      new RegExp(
        `failed: task big: the disk holding the internal storage ${storage} is full \\(ENOSPC\\): kestra:///.*/big\\.bin was not written`,
      ),
    );
    expect(count(runs)).toBe(1);
    // Nothing half-written is left behind.
    const files = readdirSync(storage, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files).toEqual([]);
  });
});
