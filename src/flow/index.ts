/** Public API of the flow model: parse, validate, load, inputs, JSON Schema, traversal. */

export { type InputError, type InputOptions, resolveInputs } from './inputs.ts';
export { flowFilesIn, type LoadedFlow, loadFlowDirectory, loadFlowFile, loadFlowPaths } from './load.ts';
export { type ParsedFlow, parseFlow } from './parse.ts';
export { flowJsonSchema } from './schema.ts';
export { hasValuesExpression, type RenderExpression, selectValues } from './select-values.ts';
export type { SourceMap } from './source-map.ts';
export type * from './types.ts';
export { formatFlowError } from './types.ts';
export { loadFlowSource, validateFlow } from './validate.ts';
export { allTasks, type ChildTask, childTasks, type FlowTask, findTask } from './walk.ts';
