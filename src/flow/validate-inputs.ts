/** Validation of a flow's `inputs`: type-specific properties, ids, and Kestra's extra input rules. */
import { mapAjvErrors } from './ajv-errors.ts';
import { inputValidatorFor } from './compile.ts';
import { INPUT_TYPES } from './schemas.ts';
import { childPath, errorAt, type SourceMap } from './source-map.ts';
import type { Flow, FlowError, InputType } from './types.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const TYPES_HINT = `use one of ${INPUT_TYPES.join(', ')}`;

/** Whether `pattern` compiles as a regular expression; the error message otherwise. */
export const regexError = (pattern: string): string | undefined => {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

const validateOne = (input: Record<string, unknown>, path: string, map: SourceMap): FlowError[] => {
  const type = input.type;
  if (type === undefined) {
    return [
      errorAt(map, path, `Invalid type: null (missing type id property 'type' for input; ${TYPES_HINT})`),
    ];
  }
  if (typeof type !== 'string' || !(INPUT_TYPES as readonly string[]).includes(type)) {
    return [errorAt(map, childPath(path, 'type'), `Invalid type: ${String(type)}; ${TYPES_HINT}`)];
  }
  const errors: FlowError[] = [];
  const validate = inputValidatorFor(type as InputType);
  if (!validate(input)) errors.push(...mapAjvErrors(validate.errors, input, path, map, `input ${type}`));
  const id = String(input.id ?? '');
  if (type === 'FILE' && input.defaults !== undefined) {
    errors.push(
      errorAt(
        map,
        childPath(path, 'defaults'),
        `${id}: no \`defaults\` can be set for inputs of type 'FILE'`,
      ),
    );
  }
  if (type === 'ARRAY' && input.itemType === 'ARRAY') {
    errors.push(errorAt(map, childPath(path, 'itemType'), `${id}: \`itemType\` cannot be \`ARRAY\``));
  }
  if (typeof input.validator === 'string') {
    const problem = regexError(input.validator);
    if (problem) {
      errors.push(
        errorAt(
          map,
          childPath(path, 'validator'),
          `${id}: \`validator\` is not a valid regular expression: ${problem}`,
        ),
      );
    }
  }
  return errors;
};

export const validateInputs = (flow: Flow, map: SourceMap): FlowError[] => {
  if (!Array.isArray(flow.inputs)) return [];
  const errors: FlowError[] = [];
  const ids = new Map<string, number>();
  const duplicates: string[] = [];
  let firstDuplicate: string | undefined;
  flow.inputs.forEach((input, i) => {
    const path = `inputs[${i}]`;
    if (!isObject(input)) {
      errors.push(errorAt(map, path, 'must be an input: a map with `id` and `type`'));
      return;
    }
    errors.push(...validateOne(input, path, map));
    if (typeof input.id !== 'string') return;
    if (ids.has(input.id)) {
      if (!duplicates.includes(input.id)) duplicates.push(input.id);
      firstDuplicate ??= path;
    } else ids.set(input.id, i);
  });
  if (duplicates.length > 0 && firstDuplicate) {
    errors.push(
      errorAt(
        map,
        firstDuplicate,
        `Duplicate input with name [${duplicates.join(', ')}]: input ids must be unique`,
      ),
    );
  }
  // `dependsOn.inputs` must name inputs declared in the flow.
  flow.inputs.forEach((input, i) => {
    const deps = isObject(input) && isObject(input.dependsOn) ? input.dependsOn.inputs : undefined;
    if (!Array.isArray(deps)) return;
    deps.forEach((d, j) => {
      if (typeof d === 'string' && !ids.has(d)) {
        errors.push(errorAt(map, `inputs[${i}].dependsOn.inputs[${j}]`, `depends on unknown input "${d}"`));
      }
    });
  });
  return errors;
};
