/** Validating 1,000 flows (the shared Kestra flows repeated, or the examples when absent). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFlowSource } from '../../src/flow/index.ts';
import { report } from './common.ts';

const shared = fileURLToPath(new URL('../../../shared/conformance/kestra/valid/', import.meta.url));
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const dir = existsSync(shared) ? shared : examples;
const sources = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => readFileSync(join(dir, f), 'utf8'));
const N = 1000;
for (let i = 0; i < 50; i++) loadFlowSource(sources[i % sources.length]!, 'warm.yaml');
const start = performance.now();
let invalid = 0;
for (let i = 0; i < N; i++)
  if (loadFlowSource(sources[i % sources.length]!, `flow${i}.yaml`).errors.length) invalid++;
const ms = performance.now() - start;
report('validate 1,000 flows', {
  wallMs: Math.round(ms),
  flowsPerS: Math.round(N / (ms / 1000)),
  invalid,
  from: dir === shared ? 'shared' : 'examples',
});
