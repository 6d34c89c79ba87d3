#!/usr/bin/env node
// Entry point of the `baton` command: the bundle in dist/ (built by `npm run build`, run on install),
// or the TypeScript sources when there is no bundle or BATON_FROM_SOURCE is set (Node >= 22.18 runs
// them directly).
//
// Written for any Node: under a Node older than 22.18 (no node:sqlite, no type stripping) it re-runs
// itself with the Node 24 the project installs (the `node` devDependency) when there is one, and
// otherwise says what is needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  const projectNode = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(projectNode) || process.env.BATON_NO_REEXEC) {
    console.error(
      `baton needs Node 22.18 or later (this is Node ${process.versions.node}); install Node 24 LTS, or run it through npm in a checkout (npm run baton -- ...)`,
    );
    process.exit(3);
  }
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(projectNode, [self, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BATON_NO_REEXEC: '1' },
  });
  // The child received the terminal's signals itself; report how it ended.
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status ?? 3);
}

const bundle = new URL('../dist/main.js', import.meta.url);
await import(existsSync(bundle) && !process.env.BATON_FROM_SOURCE ? bundle.href : '../src/cli/main.ts');
