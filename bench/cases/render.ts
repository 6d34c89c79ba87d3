/** Rendering 100,000 expressions of the kinds flows use (member access, filters, conditions). */
import { renderString } from '../../src/expression/index.ts';
import { report } from './common.ts';

const ctx = {
  inputs: { name: 'world', n: 42, list: [1, 2, 3] },
  outputs: { extract: { value: 'rows', vars: { count: 1200 } } },
  taskrun: { value: 'eu', id: 'abc' },
  flow: { id: 'f', namespace: 'company.team' },
};
const templates = [
  'Hello {{ inputs.name }}',
  '{{ outputs.extract.vars.count * 2 }}',
  '{{ inputs.name | upper }} in {{ flow.namespace }}',
  '{{ inputs.n > 10 ? "big" : "small" }}',
  '{{ taskrun.value ~ "-" ~ (inputs.list | join(",")) }}',
];
const N = 100_000;
for (let i = 0; i < 1000; i++) renderString(templates[i % templates.length]!, ctx);
const start = performance.now();
for (let i = 0; i < N; i++) renderString(templates[i % templates.length]!, ctx);
const ms = performance.now() - start;
report('render 100,000 expressions', { wallMs: Math.round(ms), perSecond: Math.round(N / (ms / 1000)) });
