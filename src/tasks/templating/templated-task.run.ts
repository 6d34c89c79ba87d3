/**
 * TemplatedTask: `spec` (already rendered by the worker) is the YAML of a runnable task without `id`;
 * parses it, renders that task's own dynamic properties and runs it in the same context.
 */
import { parse } from 'yaml';
import type { RunFunction } from '../context.ts';
import { ownProperties, renderProps, validateProps } from '../props.ts';
import { findDefinition } from '../registry.ts';
import { runners } from '../runners.ts';
import { TaskError } from '../types.ts';

export const run: RunFunction<{ spec: string }> = async (ctx, props) => {
  let spec: unknown;
  try {
    spec = parse(String(props.spec));
  } catch (e) {
    throw new TaskError(`TemplatedTask: spec is not valid YAML: ${(e as Error).message}`, {
      retryable: false,
    });
  }
  if (!spec || typeof spec !== 'object' || typeof (spec as { type?: unknown }).type !== 'string') {
    throw new TaskError('TemplatedTask: spec must be a YAML map with a `type`', { retryable: false });
  }
  const raw = spec as { type: string; id?: string; [k: string]: unknown };
  const definition = findDefinition(raw.type);
  if (definition?.kind !== 'runnable') {
    throw new TaskError(`TemplatedTask: ${raw.type} is not a runnable task type`, { retryable: false });
  }
  if (definition.type === 'io.kestra.plugin.core.templating.TemplatedTask') {
    throw new TaskError('TemplatedTask: a templated task cannot be another TemplatedTask', {
      retryable: false,
    });
  }
  const loader = runners[definition.type];
  if (!loader)
    throw new TaskError(`TemplatedTask: no implementation for ${definition.type}`, { retryable: false });
  const mod = await loader();
  const task = { ...raw, id: ctx.task.id, type: definition.type };
  const inner = await ctx.withLookups(() =>
    renderProps(ownProperties(task), definition, ctx.render, mod.raw),
  );
  validateProps(inner, definition);
  return (mod.run as unknown as RunFunction)({ ...ctx, task }, inner);
};
