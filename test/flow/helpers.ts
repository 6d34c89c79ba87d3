/** Shared helpers for flow tests: validate inline YAML and find errors by path. */
import { formatFlowError, loadFlowSource } from '../../src/flow/index.ts';
import type { FlowError } from '../../src/flow/types.ts';

export const FILE = 'flows/test.yaml';

/** Validates YAML text (leading indentation of the template literal removed). */
export const check = (yaml: string) => loadFlowSource(dedent(yaml), FILE);

export const messages = (yaml: string): string[] => check(yaml).errors.map(formatFlowError);

export const errorAt = (errors: FlowError[], path: string): FlowError | undefined =>
  errors.find((e) => e.path === path);

export const dedent = (s: string): string => {
  const lines = s.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)?.[0].length ?? 0));
  return lines.map((l) => l.slice(indent)).join('\n');
};

export const HEADER = 'id: f\nnamespace: company.team\n';
