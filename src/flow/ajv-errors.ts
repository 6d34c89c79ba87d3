/**
 * Turns ajv's raw errors into flow errors a person can act on: one message per problem, at the path and
 * position of the offending value, worded like Kestra where Kestra's wording is known
 * (`Unrecognized field "x"`, `must not be empty`, `must not be null`).
 */
import type { ErrorObject } from 'ajv';
import { ISO_DURATION_PATTERN } from '../tasks/schema.ts';
import { childPath, errorAt, type SourceMap } from './source-map.ts';
import type { FlowError } from './types.ts';

type AnySchema = Record<string, unknown>;

const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

/** Whether a value has the JSON type(s) a schema branch asks for (used to pick the branch the author meant). */
const typeFits = (schema: AnySchema, v: unknown): boolean => {
  const t = schema.type;
  if (t === undefined) {
    if (schema.const !== undefined) return schema.const === v;
    if (Array.isArray(schema.enum)) return typeof v === typeof schema.enum[0];
    return false;
  }
  const types = Array.isArray(t) ? (t as string[]) : [t as string];
  const actual = jsonType(v);
  return types.some((x) => x === actual || (x === 'number' && actual === 'integer'));
};

const isExpressionBranch = (s: AnySchema): boolean =>
  s.type === 'string' && typeof s.pattern === 'string' && s.pattern.startsWith('\\{\\{');

const constProps = (s: AnySchema): [string, unknown][] =>
  Object.entries((s.properties as Record<string, AnySchema> | undefined) ?? {}).flatMap(([k, p]) =>
    p.const !== undefined ? [[k, p.const] as [string, unknown]] : [],
  );
const constKeys = (s: AnySchema): string[] => constProps(s).map(([k]) => k);
const constKeysValue = (s: AnySchema, key: string): string =>
  String(constProps(s).find(([k]) => k === key)?.[1]);
const constsMatch = (s: AnySchema, v: unknown): boolean => {
  const consts = constProps(s);
  if (consts.length === 0 || typeof v !== 'object' || v === null) return false;
  return consts.every(([k, c]) => (v as Record<string, unknown>)[k] === c);
};

/** A short noun phrase for what a schema accepts: `an integer`, `one of A, B`, `an expression`. */
export const describeSchema = (s: AnySchema): string => {
  if (isExpressionBranch(s)) return 'an expression ({{ ... }})';
  if (Array.isArray(s.enum)) return `one of ${s.enum.join(', ')}`;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.anyOf)) return (s.anyOf as AnySchema[]).map(describeSchema).join(' or ');
  switch (s.type) {
    case 'integer':
      return 'an integer';
    case 'array':
      return 'a list';
    case 'object':
      return 'a map';
    case 'string':
      return typeof s.pattern === 'string' && s.pattern.startsWith(ISO_DURATION_PATTERN)
        ? 'an ISO-8601 duration (e.g. PT30S)'
        : 'a string';
    case undefined:
      return 'a valid value';
    default:
      return `a ${String(s.type)}`;
  }
};

/** Levenshtein distance, to suggest the property the author probably meant. */
const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
};

const suggestion = (name: string, known: string[]): string => {
  const best = known
    .map((k) => ({ k, d: distance(name.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? `; did you mean "${best.k}"?` : '';
};

/** JSON pointer → flow path, walking the data to tell list indexes from map keys named like numbers. */
const toPath = (base: string, pointer: string, data: unknown): string => {
  let path = base;
  let cur = data;
  if (pointer === '') return path;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      path = childPath(path, Number(seg));
      cur = cur[Number(seg)];
    } else {
      path = childPath(path, seg);
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
};

/**
 * Resolves `anyOf`/`oneOf` failures: when the value's type fits exactly one branch, that branch's own
 * errors are kept (they are precise); otherwise the branch errors are replaced by one "must be X or Y".
 */
const collapseUnions = (errors: ErrorObject[]): ErrorObject[] => {
  let list = [...errors];
  const unions = list
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const u of unions) {
    if (!list.includes(u)) continue;
    const branches = (u.schema as AnySchema[]) ?? [];
    const prefix = `${u.schemaPath}/`;
    let fitting = branches.map((b, i) => (typeFits(b, u.data) ? i : -1)).filter((i) => i >= 0);
    // Tagged unions of maps (retry policies...): pick the branch whose constant properties match.
    if (fitting.length > 1) {
      const tagged = fitting.filter((i) => constsMatch(branches[i] as AnySchema, u.data));
      const discriminators = constKeys(branches[fitting[0] as number] as AnySchema);
      if (tagged.length === 1) fitting = tagged;
      else if (tagged.length === 0 && discriminators.length === 1) {
        const key = discriminators[0] as string;
        const allowed = fitting.map((i) => constKeysValue(branches[i] as AnySchema, key));
        const summary: ErrorObject = {
          ...u,
          instancePath: `${u.instancePath}/${key}`,
          keyword: 'union',
          message: `must be one of ${allowed.join(', ')}`,
        };
        list = list.filter((e) => !e.schemaPath.startsWith(prefix)).map((e) => (e === u ? summary : e));
        continue;
      }
    }
    const under = (e: ErrorObject) => e.schemaPath.startsWith(prefix);
    if (fitting.length === 1) {
      const keep = `${prefix}${fitting[0]}/`;
      list = list.filter((e) => e !== u && (!under(e) || e.schemaPath.startsWith(keep)));
    } else {
      const summary: ErrorObject = {
        ...u,
        keyword: 'union',
        message: `must be ${branches.map(describeSchema).join(' or ')}`,
      };
      list = list.filter((e) => !under(e)).map((e) => (e === u ? summary : e));
    }
  }
  return list;
};

const messageOf = (e: ErrorObject, typeName: string | undefined): string => {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const known = Object.keys(((e.parentSchema as AnySchema)?.properties as AnySchema) ?? {});
      const name = String(p.additionalProperty);
      const of = typeName ? ` for type ${typeName}` : '';
      return `Unrecognized field "${name}"${of}${suggestion(name, known)}${known.length ? ` (known: ${known.join(', ')})` : ''}`;
    }
    case 'type':
      return e.data === null ? 'must not be null' : `must be ${describeSchema(e.parentSchema as AnySchema)}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).join(', ')}, not ${JSON.stringify(e.data)}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern': {
      const pattern = String(p.pattern);
      if (pattern.startsWith(ISO_DURATION_PATTERN))
        return 'must be an ISO-8601 duration such as PT30S, PT5M or P1D';
      return `must match "${pattern}"`;
    }
    case 'minItems':
      return p.limit === 1 ? 'must not be empty' : (e.message ?? 'has too few items');
    case 'minLength':
      return p.limit === 1 ? 'must not be blank' : (e.message ?? 'is too short');
    default:
      return e.message ?? `is invalid (${e.keyword})`;
  }
};

/**
 * Maps ajv errors of `data` (found at `base` in the document) to flow errors. `typeName` names the task type
 * in "unknown property" messages.
 */
export const mapAjvErrors = (
  errors: ErrorObject[] | null | undefined,
  data: unknown,
  base: string,
  map: SourceMap,
  typeName?: string,
): FlowError[] => {
  const out: FlowError[] = [];
  for (const e of collapseUnions(errors ?? [])) {
    // `if`/`then` failures repeat the errors of the `then` branch.
    if (e.keyword === 'if') continue;
    const at = toPath(base, e.instancePath, data);
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'required') {
      const prop = String(p.missingProperty);
      const propSchema = (
        (e.parentSchema as AnySchema)?.properties as Record<string, AnySchema> | undefined
      )?.[prop];
      const empty = propSchema?.type === 'array' && Number(propSchema.minItems ?? 0) >= 1;
      out.push(
        errorAt(
          map,
          childPath(at, prop),
          empty ? 'must not be empty' : 'must not be null (required property)',
        ),
      );
    } else if (e.keyword === 'additionalProperties') {
      out.push(errorAt(map, childPath(at, String(p.additionalProperty)), messageOf(e, typeName), true));
    } else {
      out.push(errorAt(map, at, messageOf(e, typeName)));
    }
  }
  return out;
};
