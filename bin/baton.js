#!/usr/bin/env node
// Entry point of the `baton` command: the bundle in dist/ (built by `npm run build`, run on install),
// or the TypeScript sources when there is no bundle or BATON_FROM_SOURCE is set (Node >= 22.18 runs
// them directly).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/main.js', import.meta.url);
await import(existsSync(bundle) && !process.env.BATON_FROM_SOURCE ? bundle.href : '../src/cli/main.ts');
