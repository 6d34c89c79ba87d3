/** Small helpers shared by the subcommands: option parsing and the data folder. */
import { resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';

export const dataDirOption = { data: { type: 'string' } } as const;

export const dataDir = (value: string | undefined): string =>
  resolve(value ?? process.env.BATON_DATA ?? '.baton');

export const parse = <T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) =>
  parseArgs({ args: argv, options, allowPositionals: true, strict: true });

/** `k=v` pairs (repeatable option) to a record; `k=@path` keeps the `@path` for the caller. */
export const keyValues = (pairs: string[] | undefined, what: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${what} '${pair}' must be written key=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
};
