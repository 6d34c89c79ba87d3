/**
 * Flow validation: the document's own properties, every task / trigger / condition against its type's
 * schema, the inputs, then the rules no schema can express (`rules.ts`). Reports every problem at once.
 */
import { builtinTasks, type TaskRegistry } from '../tasks/registry.ts';
import type { TaskKind } from '../tasks/types.ts';
import { mapAjvErrors } from './ajv-errors.ts';
import { validateFlowRoot, validatorFor } from './compile.ts';
import { expressionErrors } from './expressions.ts';
import { type ParsedFlow, parseFlow } from './parse.ts';
import { flowRules } from './rules.ts';
import { childPath, errorAt, type SourceMap } from './source-map.ts';
import type { Flow, FlowError } from './types.ts';
import { validateInputs } from './validate-inputs.ts';
import { allTasks } from './walk.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const KIND_NAMES: Record<TaskKind, string> = {
  runnable: 'a task',
  flowable: 'a task',
  trigger: 'a trigger',
  condition: 'a condition',
};

/** Known type names close to an unknown one (a typo, or a package that moved), for the error message. */
const closeNames = (name: string, kinds: TaskKind[], registry: TaskRegistry): string[] => {
  const last = name.split('.').pop()?.toLowerCase() ?? '';
  return registry
    .list()
    .filter((d) => kinds.includes(d.kind) && d.type.split('.').pop()?.toLowerCase() === last)
    .map((d) => d.type);
};

/** Checks one task, trigger or condition against the schema of its type. */
const validateTyped = (
  o: unknown,
  path: string,
  kinds: TaskKind[],
  map: SourceMap,
  registry: TaskRegistry,
): FlowError[] => {
  const what = KIND_NAMES[kinds[0] ?? 'runnable'];
  if (!isObject(o))
    return [
      errorAt(
        map,
        path,
        `must be ${what}: a map with ${kinds[0] === 'condition' ? '' : '`id` and '}\`type\``,
      ),
    ];
  const written = typeof o.sourceType === 'string' ? o.sourceType : o.type;
  if (written === undefined) {
    return [
      errorAt(map, path, "Invalid type: null (missing type id property 'type'); add `type: <type name>`"),
    ];
  }
  if (typeof written !== 'string')
    return [errorAt(map, childPath(path, 'type'), 'must be a type name (a string)')];
  const def = registry.find(written);
  if (!def) {
    const close = closeNames(written, kinds, registry);
    const hint = close.length
      ? `; did you mean ${close.join(' or ')}?`
      : '; see `baton docs` for the known types';
    return [errorAt(map, childPath(path, 'type'), `Invalid type: ${written}${hint}`)];
  }
  if (!kinds.includes(def.kind)) {
    return [errorAt(map, childPath(path, 'type'), `${written} is ${KIND_NAMES[def.kind]}, not ${what}`)];
  }
  // `sourceType` is Baton's own bookkeeping, not a property written by the author.
  const { sourceType: _s, ...data } = o;
  const validate = validatorFor(def);
  if (validate(data)) return [];
  return mapAjvErrors(validate.errors, data, path, map, written);
};

const validateConditions = (
  list: unknown,
  path: string,
  map: SourceMap,
  out: FlowError[],
  registry: TaskRegistry,
): void => {
  const entries: [string | number, unknown][] = Array.isArray(list)
    ? list.map((c, i) => [i, c])
    : isObject(list)
      ? Object.entries(list)
      : [];
  for (const [key, c] of entries) {
    const p = childPath(path, key);
    out.push(...validateTyped(c, p, ['condition'], map, registry));
    if (isObject(c)) validateConditions(c.conditions, childPath(p, 'conditions'), map, out, registry);
  }
};

/** Every problem of a parsed flow (the parse errors themselves are not repeated). */
export const validateFlow = (parsed: ParsedFlow, registry: TaskRegistry = builtinTasks): FlowError[] => {
  const { flow, sourceMap: map } = parsed;
  if (!flow) return [];
  const errors: FlowError[] = [];
  const validateRoot = validateFlowRoot();
  if (!validateRoot(flow)) errors.push(...mapAjvErrors(validateRoot.errors, flow, '', map));
  errors.push(...validateInputs(flow, map));
  for (const { task, path } of allTasks(flow))
    errors.push(...validateTyped(task, path, ['runnable', 'flowable'], map, registry));
  if (Array.isArray(flow.triggers)) {
    flow.triggers.forEach((t, i) => {
      const path = `triggers[${i}]`;
      errors.push(...validateTyped(t, path, ['trigger'], map, registry));
      if (!isObject(t)) return;
      validateConditions(t.conditions, `${path}.conditions`, map, errors, registry);
      // Schedule's own condition list (`scheduleConditions`, deprecated in Kestra).
      validateConditions(t.scheduleConditions, `${path}.scheduleConditions`, map, errors, registry);
    });
  }
  if (Array.isArray(flow.listeners)) {
    flow.listeners.forEach((l, i) => {
      if (isObject(l)) validateConditions(l.conditions, `listeners[${i}].conditions`, map, errors, registry);
    });
  }
  errors.push(...flowRules(flow, map, registry));
  errors.push(...expressionErrors(flow, map));
  return errors;
};

const sortAndDedupe = (errors: FlowError[]): FlowError[] => {
  const seen = new Set<string>();
  return errors
    .filter((e) => {
      const key = `${e.path}\u0000${e.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
};

/**
 * Parses and validates a flow document. `flow` is set only when there is no error, so that callers cannot
 * run an invalid flow by mistake; `errors` lists every problem, sorted by position.
 */
export const loadFlowSource = (
  source: string,
  file: string,
  opts: { registry?: TaskRegistry } = {},
): { flow?: Flow; errors: FlowError[] } => {
  const parsed = parseFlow(source, file, opts.registry);
  const errors = sortAndDedupe([...parsed.errors, ...validateFlow(parsed, opts.registry)]);
  return errors.length === 0 && parsed.flow ? { flow: parsed.flow, errors } : { errors };
};
