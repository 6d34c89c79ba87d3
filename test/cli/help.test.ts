/** `--help` on every command, `--version`, and the launcher under an older Node. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HELP } from '../../src/cli/help.ts';

const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const baton = (args: string[], node = process.execPath) =>
  spawnSync(node, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('baton --help and --version', () => {
  it.each(Object.keys(HELP))('baton %s --help prints its usage and options and exits 0', (name) => {
    const r = baton([name, '--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`usage: baton ${name}`);
    expect(r.stdout).toContain('--help');
  });

  it('baton --help lists every command; baton with no command is a usage error', () => {
    const r = baton(['--help']);
    expect(r.status).toBe(0);
    for (const name of Object.keys(HELP)) expect(r.stdout).toContain(`  ${name} `);
    expect(baton([]).status).toBe(2);
    expect(baton(['frobnicate']).status).toBe(2);
  });

  it('baton --version prints the package version', () => {
    const r = baton(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});

// The machine's own Node, when it is older than the one the project brings (Debian's 20 here).
const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p));
const old = systemNode
  ? Number(
      spawnSync(systemNode, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout,
    ) < 22
  : false;

describe.skipIf(!old)('bin/baton.js under an older Node', () => {
  it('re-runs itself with the project’s Node 24', () => {
    const r = baton(['--version'], systemNode);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('says what it needs when the project has no Node of its own', () => {
    const r = spawnSync(systemNode!, [bin, '--version'], {
      encoding: 'utf8',
      env: { ...process.env, BATON_NO_REEXEC: '1' },
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('baton needs Node 22.18 or later');
  });
});
