/** Pure functions: now, randomInt, range, max, min, fromJson, yaml, printContext/fetchContext. */
import { randomInt } from 'node:crypto';
import { Instant, ZonedDateTime } from '@js-joda/core';
import { arg, type FunctionFn, requiredArg } from '../env.ts';
import { ExpressionError } from '../errors.ts';
import { range } from '../evaluator.ts';
import { fromJson, fromYaml } from '../filters/data.ts';
import { formatDate, zone } from '../filters/dates.ts';
import { compare, toInt, toJson } from '../values.ts';

function extreme(sign: number): FunctionFn {
  return (a) => {
    const items = a.pos.length === 1 && Array.isArray(a.pos[0]) ? (a.pos[0] as unknown[]) : a.pos;
    if (items.length === 0)
      throw new ExpressionError(`${sign > 0 ? 'max' : 'min'}: needs at least one value`);
    return items.reduce((best, x) => (compare(x, best) * sign > 0 ? x : best));
  };
}

export const CORE_FUNCTIONS: Record<string, FunctionFn> = {
  now: (a, env) => {
    const ms = env.services.now ? env.services.now().getTime() : Date.now();
    return formatDate(ZonedDateTime.ofInstant(Instant.ofEpochMilli(ms), zone(a, 0)), arg(a, 1, 'format'));
  },
  randomInt: (a) => {
    const lower = toInt(requiredArg(a, 0, 'lower', 'randomInt'), 'randomInt');
    const upper = toInt(requiredArg(a, 1, 'upper', 'randomInt'), 'randomInt');
    if (upper <= lower) throw new ExpressionError('randomInt: `upper` must be greater than `lower`');
    return randomInt(lower, upper);
  },
  range: (a, env) =>
    range(
      toInt(requiredArg(a, 0, 'start', 'range'), 'range'),
      toInt(requiredArg(a, 1, 'end', 'range'), 'range'),
      toInt(arg(a, 2, 'step', 1), 'range'),
      env,
    ),
  max: extreme(1),
  min: extreme(-1),
  fromJson: (a) => fromJson(requiredArg(a, 0, 'json', 'fromJson')),
  json: (a) => fromJson(requiredArg(a, 0, 'json', 'json')),
  fromYaml: (a) => fromYaml(requiredArg(a, 0, 'yaml', 'fromYaml')),
  yaml: (a) => fromYaml(requiredArg(a, 0, 'yaml', 'yaml')),
  printContext: (_a, env) => toJson(env.ctx),
  // Kestra 1.x name of printContext.
  fetchContext: (_a, env) => toJson(env.ctx),
};
