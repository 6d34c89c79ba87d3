/**
 * The Webhook trigger, evaluated for one HTTP request, as Kestra 0.2x does: the flow's Webhook trigger
 * whose `key` matches, the request as trigger variables (`body` parsed when JSON, else text; `headers`
 * and `parameters` as lists of values), its `conditions`, and its `inputs` rendered with them. Pure
 * except for the `timingSafeEqual` of the key.
 *
 * What the caller sent is data, never a template: only the flow author's `key`, `conditions` and
 * `inputs` are rendered, and the request reaches them as variables.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Execution, ExecutionTrigger } from '../execution/types.ts';
import { buildRenderContext } from '../executor/context.ts';
import { type ExpressionServices, renderTyped, renderValue } from '../expression/index.ts';
import type { Flow, Trigger } from '../flow/types.ts';
import { plainCipher } from '../secrets/encryption.ts';
import { canonicalType } from '../tasks/registry.ts';
import { allHold } from './conditions.ts';

export const WEBHOOK_TYPE = 'io.kestra.plugin.core.trigger.Webhook';

export interface WebhookRequest {
  body?: Buffer;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | string[] | undefined>;
}

export interface WebhookOptions {
  wait: boolean;
  returnOutputs: boolean;
  /** `text/plain` answers the outputs as text; JSON otherwise. */
  responseContentType?: string;
  responseCode?: number;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time comparison of two keys (equal-length digests, so the length leaks nothing either). */
export const sameKey = (given: string, expected: string): boolean =>
  timingSafeEqual(digest(given), digest(expected));

export const isWebhook = (t: Trigger): boolean => (canonicalType(t.type) ?? t.type) === WEBHOOK_TYPE;

/**
 * The flow's Webhook trigger with this key. Every candidate is compared (no early exit); a key that
 * cannot be rendered leaves its trigger out, as in Kestra.
 */
export const findWebhook = (
  flow: Flow,
  key: string,
  renderKey: (key: string) => string,
): Trigger | undefined => {
  let found: Trigger | undefined;
  for (const trigger of flow.triggers ?? []) {
    if (!isWebhook(trigger) || typeof trigger.key !== 'string') continue;
    let expected: string;
    try {
      expected = renderKey(trigger.key).trim();
    } catch {
      continue;
    }
    if (sameKey(key, expected) && !found) found = trigger;
  }
  return found;
};

export const webhookOptions = (trigger: Trigger): WebhookOptions => ({
  wait: trigger.wait === true,
  returnOutputs: trigger.returnOutputs === true,
  responseContentType:
    typeof trigger.responseContentType === 'string' ? trigger.responseContentType : undefined,
  responseCode: typeof trigger.responseCode === 'number' ? trigger.responseCode : undefined,
});

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as Kestra exposes it: a JSON object or array parsed, other text as is, bytes that are not
 * UTF-8 text base64-encoded; undefined without a body.
 */
export const webhookBody = (body: Buffer | undefined): unknown => {
  if (!body || body.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return body.toString('base64');
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object') return parsed;
    } catch {
      // not JSON: the text itself
    }
  }
  return text;
};

const listsOf = (values: Record<string, string | string[] | undefined>): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String) : [String(v)];
  }
  return out;
};

/** Trigger variables of the request: `body`, `headers`, `parameters` (Kestra's Webhook output). */
export const webhookVariables = (req: WebhookRequest): Record<string, unknown> => {
  const body = webhookBody(req.body);
  return {
    ...(body === undefined ? {} : { body }),
    headers: listsOf(req.headers),
    parameters: listsOf(req.query),
  };
};

export type WebhookDecision =
  | { fire: true; trigger: ExecutionTrigger; inputs: Record<string, unknown> }
  | { fire: false; reason: 'conditions'; warnings: string[] };

/**
 * Whether the request starts an execution (its conditions hold) and with which inputs. Throws the
 * expression error when the flow author's `inputs` cannot be rendered (Kestra answers 422).
 */
export const evaluateWebhook = (opts: {
  flow: Flow;
  trigger: Trigger;
  variables: Record<string, unknown>;
  executionId: string;
  now: number;
  services?: ExpressionServices;
  /** The engine's `envs` (none when not given). */
  envs?: Readonly<Record<string, string>>;
}): WebhookDecision => {
  const { flow, trigger, now } = opts;
  const execTrigger: ExecutionTrigger = { id: trigger.id, type: WEBHOOK_TYPE, variables: opts.variables };
  const date = new Date(now).toISOString();
  // The execution as it would start: what conditions and inputs see (`trigger`, `flow`, `labels`...).
  const draft: Execution = {
    id: opts.executionId,
    namespace: flow.namespace,
    flowId: flow.id,
    flowRevision: flow.revision ?? 1,
    state: { current: 'CREATED', startDate: date, histories: [{ state: 'CREATED', date }] },
    inputs: {},
    labels: [],
    trigger: execTrigger,
    taskRuns: [],
    attemptNumber: 1,
  };
  // The draft holds nothing encrypted (no inputs yet, no secrets): no key is needed to build its context.
  const variables = buildRenderContext(flow, draft, undefined, undefined, {
    cipher: plainCipher,
    envs: opts.envs,
  });
  const warnings: string[] = [];
  const conditions = trigger.conditions ?? [];
  if (
    conditions.length > 0 &&
    !allHold(conditions, { execution: draft, flow, variables, now }, (w) => warnings.push(w))
  )
    return { fire: false, reason: 'conditions', warnings };
  const raw = trigger.inputs;
  const inputs =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? (renderValue(raw, variables, { services: opts.services }) as Record<string, unknown>)
      : {};
  return { fire: true, trigger: execTrigger, inputs };
};

/** Renders a trigger's `key` (it may come from `secret()`), with no execution variables. */
export const renderWebhookKey = (key: string, flow: Flow, services?: ExpressionServices): string =>
  key.includes('{{') || key.includes('{%')
    ? String(
        renderTyped(
          key,
          { flow: { id: flow.id, namespace: flow.namespace }, vars: {}, globals: {} },
          { services },
        ),
      )
    : key;
