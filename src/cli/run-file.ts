/**
 * What `baton run` reads before anything runs, embedded or on a server (`--server`): the flow file
 * (checked locally, errors printed with their line and field) and its `--input` values.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatFlowError, loadFlowSource } from '../flow/index.ts';
import type { Flow } from '../flow/types.ts';
import { keyValues } from './args.ts';

export const RUN_USAGE =
  'usage: baton run FLOW.yaml [--input key=value ...] [--input key=@file] [--flows DIR] [--json]';

export interface RunFile {
  /** The file's absolute path. */
  path: string;
  source: string;
  flow: Flow;
  /** `--input` values: strings, and `{ path }` for a FILE input given as `key=@path`. */
  inputs: Record<string, unknown>;
}

/** The flow file and its inputs, or the exit code (2) after printing what is wrong. */
export const readRunFile = (file: string | undefined, rawInputs: string[] | undefined): RunFile | number => {
  if (!file) {
    console.error(RUN_USAGE);
    return 2;
  }
  const path = resolve(file);
  if (!existsSync(path)) {
    console.error(`${file}: no such file`);
    return 2;
  }
  if (statSync(path).isDirectory()) {
    console.error(`${file} is a folder: baton run needs one flow file (baton validate takes folders)`);
    return 2;
  }
  const source = readFileSync(path, 'utf8');
  const { flow, errors } = loadFlowSource(source, file);
  if (!flow || errors.length > 0) {
    for (const e of errors) console.error(formatFlowError(e));
    return 2;
  }
  try {
    return { path, source, flow, inputs: readInputs(flow, keyValues(rawInputs, 'input')) };
  } catch (error) {
    console.error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
};

/**
 * `--input k=v` for an input the flow declares; `k=@path` uploads a file, for FILE inputs only (so a
 * literal `@` in a STRING input is kept). Everything else stays a string, coerced by the input's type.
 */
const readInputs = (flow: Flow, raw: Record<string, string>): Record<string, unknown> => {
  const declared = new Map((flow.inputs ?? []).map((i) => [i.id, i.type]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!declared.has(key)) {
      const known = [...declared.keys()];
      throw new Error(
        `--input ${key}: the flow declares no input '${key}' (${known.length ? `its inputs: ${known.join(', ')}` : 'it has no inputs'})`,
      );
    }
    if (declared.get(key) === 'FILE' && value.startsWith('@')) {
      const path = resolve(value.slice(1));
      if (!existsSync(path)) throw new Error(`input ${key}: no such file ${value.slice(1)}`);
      out[key] = { path };
    } else out[key] = value;
  }
  return out;
};
