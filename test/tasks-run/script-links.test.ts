/**
 * Symbolic links a script leaves in its working folder never make the worker read or write outside it:
 * outputFiles are not collected through them, inputFiles are not written through them.
 */
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as shellCommands } from '../../src/tasks/scripts/shell-commands.run.ts';
import { type Harness, openHarness, runWith } from './helpers.ts';

let h: Harness;
const outside = mkdtempSync(join(tmpdir(), 'baton-outside-'));
const PRIVATE = 'private content outside the working folder';
beforeAll(async () => {
  h = await openHarness();
  writeFileSync(join(outside, 'private.txt'), PRIVATE);
});
afterAll(async () => {
  await h.dispose();
  rmSync(outside, { recursive: true, force: true });
});

describe('outputFiles and links', () => {
  it('skips (with a WARN) files linked out of the working folder, and links into a folder outside', async () => {
    const { ctx, logs } = h.context();
    const out = await runWith(shellCommands, ctx, {
      commands: [
        `ln -s ${join(outside, 'private.txt')} out.txt`,
        `ln -s ${outside} linked`,
        'echo kept > real.txt',
        'ln -s real.txt inner.txt',
      ],
      outputFiles: ['out.txt', 'linked/private.txt', '*.txt'],
    });
    const files = out.outputs?.outputFiles as Record<string, string>;
    expect(Object.keys(files).sort()).toEqual(['inner.txt', 'real.txt']);
    expect((await h.storage.get(files['real.txt']!)).toString()).toBe('kept\n');
    expect((await h.storage.get(files['inner.txt']!)).toString()).toBe('kept\n');
    const warnings = logs()
      .filter((l) => l.level === 'WARN')
      .map((l) => l.message);
    expect(warnings).toContain("outputFiles: 'out.txt' links outside the working directory: not collected");
    expect(warnings).toContain(
      "outputFiles: 'linked/private.txt' links outside the working directory: not collected",
    );
  });
});

describe('inputFiles and links', () => {
  it('replaces a link left in the folder instead of writing through it', async () => {
    const { ctx } = h.context();
    symlinkSync(join(outside, 'private.txt'), join(ctx.workingDir, 'in.txt'));
    await runWith(shellCommands, ctx, { commands: ['true'], inputFiles: { 'in.txt': 'mine' } });
    expect(readFileSync(join(outside, 'private.txt'), 'utf8')).toBe(PRIVATE);
    expect(lstatSync(join(ctx.workingDir, 'in.txt')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(ctx.workingDir, 'in.txt'), 'utf8')).toBe('mine');
  });

  it('refuses a file in a folder linked outside', async () => {
    const { ctx } = h.context();
    mkdirSync(join(outside, 'dir'));
    symlinkSync(join(outside, 'dir'), join(ctx.workingDir, 'dir'));
    await expect(
      runWith(shellCommands, ctx, { commands: ['true'], inputFiles: { 'dir/x.txt': 'evil' } }),
    ).rejects.toThrow("inputFiles: 'dir/x.txt' is in a folder linked outside the working directory");
    expect(() => readFileSync(join(outside, 'dir', 'x.txt'))).toThrow();
  });
});
