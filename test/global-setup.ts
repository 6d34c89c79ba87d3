/**
 * Builds the shipped bundle (dist/) once before the tests: the CLI tests run `bin/baton.js` over it, as a
 * user runs it, so a failure that exists only in the bundle fails the suite.
 */
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const root = new URL('..', import.meta.url).pathname;
  const r = spawnSync(process.execPath, ['node_modules/rolldown/bin/cli.mjs', '-c', 'rolldown.config.ts'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`building dist/ failed:\n${r.stderr}${r.stdout}`);
}
