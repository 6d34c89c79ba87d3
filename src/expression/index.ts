/**
 * Public API of the expression language (Kestra's Pebble dialect). Implementation: see the other
 * files of this folder. Pure: I/O-backed functions (`secret`, `kv`, `read`, `fileSize`, `fileExists`,
 * `isFileEmpty`, `errorLogs`) go through `ExpressionServices`, supplied by the caller.
 */

export { ExpressionError } from './errors.ts';
export { loadJq } from './jq.ts';
export {
  evaluate,
  isTruthy,
  renderString,
  renderTyped,
  renderValue,
  templateSyntaxError,
} from './render.ts';
export type { ExpressionServices, RenderContext, RenderOptions } from './types.ts';
