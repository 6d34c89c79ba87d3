/**
 * ajv validators compiled when the bundle is built (`validators/` beside the bundle's chunks, written by
 * `precompile.ts` through rolldown.config.ts), so that a run loads them instead of compiling them.
 *
 * Why: ajv compiles a schema by generating JavaScript, and the first compile of a process is costly far
 * beyond its own code: ajv's code generator runs hot enough for V8 to optimise it (paging in the optimising
 * compilers) and its garbage grows the young generation, about 12 MB of resident memory and tens of
 * milliseconds for one task type, which an idle `baton run` kept for as long as its flow paused.
 *
 * The sources have no `validators/` folder: running them (tests, BATON_FROM_SOURCE) compiles at run time,
 * from the same schemas and options, so both ways validate alike.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { builtinTasks } from '../tasks/registry.ts';
import type { TaskDefinition } from '../tasks/types.ts';

/** Where precompiled validators are: in the bundle, dist/validators/; from the sources, nowhere. */
const DIR = new URL('./validators/', import.meta.url);

let available: boolean | undefined;
let load: NodeJS.Require | undefined;

/**
 * The validator precompiled under `name` (`flow`, `input.STRING`, `task.<type>`, `props.<type>`; see
 * `precompile.ts`), or undefined when there is none (running from the sources).
 */
export const precompiledValidator = (name: string): ValidateFunction | undefined => {
  available ??= existsSync(DIR);
  if (!available) return undefined;
  const file = fileURLToPath(new URL(`${name}.cjs`, DIR));
  if (!existsSync(file)) return undefined;
  // ajv's standalone code is CommonJS (it requires ajv's small runtime helpers): loaded synchronously,
  // as validation is.
  load ??= createRequire(DIR);
  return load(file) as ValidateFunction;
};

/**
 * Only Baton's own definitions were precompiled: a custom type, even one reusing a built-in name in
 * another registry, is compiled from its own schema.
 */
export const isBuiltin = (def: TaskDefinition): boolean => builtinTasks.find(def.type) === def;
