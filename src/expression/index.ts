/**
 * Public API of the expression language (Kestra's Pebble dialect). Implementation: see the other
 * files of this folder. Pure: I/O-backed functions (`secret`, `kv`, `read`, `fileSize`, `fileExists`,
 * `isFileEmpty`, `errorLogs`, the `jq` filter) go through `ExpressionServices`, supplied by the caller;
 * `Lookups` answers them from asynchronous sources.
 */

export { ExpressionError } from './errors.ts';
export { JQ_TIME_LIMIT_MS, loadJq } from './jq.ts';
export { type LookupSources, Lookups } from './lookups.ts';
export {
  evaluate,
  isTruthy,
  renderString,
  renderTyped,
  renderValue,
  templateSyntaxError,
} from './render.ts';
export type { ExpressionServices, RenderContext, RenderOptions } from './types.ts';
