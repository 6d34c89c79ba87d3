/** Public entry points: parse (cached), run template nodes, typed rendering. */
import type { Expr, Node, Where } from './ast.ts';
import { countIterations, DEFAULT_LIMITS, type Env, type Limits } from './env.ts';
import { ExpressionError, MissingError, missingMessage } from './errors.ts';
import { evaluate as evalExpr } from './evaluator.ts';
import { lexExpression } from './lexer.ts';
import { parseExpression, parseTemplate } from './parser.ts';
import type { RenderContext, RenderOptions } from './types.ts';
import { isMap, isTruthy, toStr } from './values.ts';

export { isTruthy };

/** Parsed templates by source. Bounded: flows have a finite set of templates, but inputs may not. */
const CACHE_SIZE = 5000;
const cache = new Map<string, Node[]>();

function parseCached(tpl: string, limits: Limits): Node[] {
  let nodes = cache.get(tpl);
  if (nodes) {
    // Refresh recency: Map iteration order is insertion order, so the first key is the oldest.
    cache.delete(tpl);
    cache.set(tpl, nodes);
    return nodes;
  }
  if (tpl.length > limits.maxTemplateLength)
    throw new ExpressionError(
      `Template too long (${tpl.length} characters, limit ${limits.maxTemplateLength})`,
    );
  nodes = parseTemplate(tpl);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(tpl, nodes);
  return nodes;
}

function located<T>(at: Where, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof MissingError) throw new ExpressionError(missingMessage(err.missing, at.src, at.line));
    throw err;
  }
}

function run(nodes: Node[], env: Env, out: string[], size: { n: number }): void {
  for (const node of nodes) {
    switch (node.k) {
      case 'text':
      case 'out': {
        const s = node.k === 'text' ? node.s : toStr(located(node.at, () => evalExpr(node.e, env)));
        size.n += s.length;
        if (size.n > env.limits.maxOutputLength)
          throw new ExpressionError(
            `Rendered output too large (limit ${env.limits.maxOutputLength} characters)`,
          );
        out.push(s);
        break;
      }
      case 'set':
        env.frames[env.frames.length - 1]!.set(
          node.name,
          located(node.at, () => evalExpr(node.e, env)),
        );
        break;
      case 'if': {
        const b = node.branches.find((br) => isTruthy(located(br.at, () => evalExpr(br.c, env))));
        if (b) run(b.body, env, out, size);
        else if (node.otherwise) run(node.otherwise, env, out, size);
        break;
      }
      case 'for': {
        const it = located(node.at, () => evalExpr(node.iter, env));
        if (!Array.isArray(it) && !isMap(it) && it !== null)
          throw new ExpressionError(`Cannot iterate over ${typeof it} in \`${node.at.src}\``);
        const entries: [unknown, unknown][] = Array.isArray(it)
          ? it.map((v, i) => [i, v])
          : isMap(it)
            ? Object.entries(it).map(([key, value]) => [key, node.key === null ? { key, value } : value])
            : [];
        if (entries.length === 0) {
          if (node.otherwise) run(node.otherwise, env, out, size);
          break;
        }
        countIterations(env, entries.length);
        const frame = new Map<string, unknown>();
        env.frames.push(frame);
        try {
          const length = entries.length;
          entries.forEach(([k, v], index) => {
            frame.set(node.val, v);
            if (node.key !== null) frame.set(node.key, k);
            frame.set('loop', {
              index,
              length,
              first: index === 0,
              last: index === length - 1,
              revindex: length - index - 1,
            });
            run(node.body, env, out, size);
          });
        } finally {
          env.frames.pop();
        }
        break;
      }
    }
  }
}

function makeEnv(ctx: RenderContext, opts: RenderOptions | undefined): Env {
  return {
    ctx,
    frames: [new Map()],
    services: opts?.services ?? {},
    limits: { ...DEFAULT_LIMITS, ...opts?.limits },
    budget: { iterations: 0 },
    depth: 0,
    renderTemplate: renderIn,
  };
}

/** Renders `tpl` within `env` (used by render()): one level deeper, same budget, fresh variables. */
function renderIn(tpl: string, env: Env): string {
  if (env.depth + 1 > env.limits.maxDepth)
    throw new ExpressionError(
      `Rendering nested too deeply (limit ${env.limits.maxDepth}): does a value render itself?`,
    );
  const inner: Env = { ...env, frames: [new Map()], depth: env.depth + 1 };
  const out: string[] = [];
  run(parseCached(tpl, env.limits), inner, out, { n: 0 });
  return out.join('');
}

/** JS stack overflows on absurdly nested input become ordinary expression errors. */
function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message))
      throw new ExpressionError('Expression nested too deeply');
    throw err;
  }
}

/**
 * The syntax error of a template, if it has one: what `baton validate` reports. Names and functions are
 * not resolved (that happens when it renders). The parse is cached, so the first render is cheaper.
 */
export function templateSyntaxError(template: string): ExpressionError | undefined {
  if (!template.includes('{')) return undefined;
  try {
    guard(() => parseCached(template, DEFAULT_LIMITS));
    return undefined;
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw err;
  }
}

export function renderString(template: string, ctx: RenderContext, opts?: RenderOptions): string {
  if (!template.includes('{')) return template;
  return guard(() => renderIn(template, { ...makeEnv(ctx, opts), depth: -1 }));
}

export function renderTyped(template: string, ctx: RenderContext, opts?: RenderOptions): unknown {
  if (!template.includes('{')) return template;
  return guard(() => {
    const env = makeEnv(ctx, opts);
    const nodes = parseCached(template, env.limits);
    const outs = nodes.filter((n) => !(n.k === 'text' && n.s.trim() === ''));
    if (outs.length === 1 && outs[0]!.k === 'out') {
      const o = outs[0]!;
      const v = located(o.at, () => evalExpr(o.e, env));
      return v === undefined ? null : v;
    }
    const out: string[] = [];
    run(nodes, env, out, { n: 0 });
    return out.join('');
  });
}

export function renderValue(value: unknown, ctx: RenderContext, opts?: RenderOptions): unknown {
  if (typeof value === 'string') return renderTyped(value, ctx, opts);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, ctx, opts));
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderValue(v, ctx, opts);
    return out;
  }
  return value;
}

const exprCache = new Map<string, Expr>();

export function evaluate(expression: string, ctx: RenderContext, opts?: RenderOptions): unknown {
  let e = exprCache.get(expression);
  if (!e) {
    const src = `{{ ${expression} }}`;
    e = parseExpression(lexExpression(expression, src), src);
    if (exprCache.size >= CACHE_SIZE) exprCache.clear();
    exprCache.set(expression, e);
  }
  const expr = e;
  const env = makeEnv(ctx, opts);
  return guard(() => located({ src: `{{ ${expression} }}`, line: 1 }, () => evalExpr(expr, env)));
}
