import { BatonError } from '../errors.ts';

/** Errors of the expression language. Not retryable: the same template fails the same way. */
export class ExpressionError extends BatonError {
  /** Syntax errors: index in the template of the tag at fault (for editors and `baton validate`). */
  offset?: number;
  constructor(message: string) {
    super('EXPRESSION', message);
  }
}

/**
 * Internal: a name or attribute that does not exist (strict mode). Caught by `is defined`, `??`, `???`
 * and `default`; otherwise turned into an ExpressionError with Kestra's wording by the renderer.
 */
export class MissingError extends Error {
  readonly missing: string;
  constructor(missing: string) {
    super(`Unable to find \`${missing}\``);
    this.missing = missing;
  }
}

/** Message of a strict-mode failure, worded as Kestra words it. */
export function missingMessage(missing: string, source: string, line: number): string {
  return `Unable to find \`${missing}\` used in the expression \`${source}\` at line ${line}`;
}
