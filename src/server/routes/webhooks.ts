/**
 * `POST|GET|PUT /executions/webhook/{namespace}/{id}/{key}`: starts an execution of the flow through
 * its Webhook trigger with that key (src/triggers/webhook.ts decides). Open to anyone: the key is the
 * credential, compared in constant time. Any body is taken (JSON, text, bytes) up to
 * `webhookBodyLimit` (413 above). Answers, as Kestra: 404 (no such flow or webhook), 409 (flow
 * disabled), 204 (conditions not met), 422 (inputs refused), 200 with the execution, or with `wait:
 * true` once it ended (its flow outputs with `returnOutputs: true`). Each execution started is audited
 * with actor `webhook`.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Execution, isFailed } from '../../execution/types.ts';
import { FlowDisabledError } from '../../executor/create.ts';
import { FlowNotFoundError } from '../../executor/flows.ts';
import type { ExpressionServices } from '../../expression/index.ts';
import type { Flow } from '../../flow/types.ts';
import type { SecretCipher } from '../../secrets/encryption.ts';
import { envSecrets, requireSecret } from '../../secrets/index.ts';
import { knownSecrets, maskSealed } from '../../secrets/seal.ts';
import {
  evaluateWebhook,
  findWebhook,
  renderWebhookKey,
  webhookOptions,
  webhookVariables,
} from '../../triggers/webhook.ts';
import { newId } from '../../util/ids.ts';
import type { Api, RouteModule, ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { toKestraState } from '../kestra/execution-json.ts';
import { executionUrl, waitForEnd } from './execution-common.ts';

const Params = Type.Object({
  namespace: Type.String({ minLength: 1 }),
  id: Type.String({ minLength: 1 }),
  key: Type.String({ minLength: 1, maxLength: 1024 }),
});

/** Kestra's WebhookResponse: the execution without its task runs, and its link. */
const webhookResponse = (execution: Execution, flow: Flow, cipher: SecretCipher) =>
  maskSealed(
    {
      id: execution.id,
      namespace: execution.namespace,
      flowId: execution.flowId,
      flowRevision: execution.flowRevision,
      trigger: execution.trigger,
      outputs: execution.outputs ?? null,
      labels: execution.labels,
      state: toKestraState(execution.state),
      url: executionUrl(execution),
    },
    knownSecrets(flow, execution, cipher),
  );

const flowOrNotFound = async (ctx: ServerContext, namespace: string, id: string): Promise<Flow> => {
  try {
    return await ctx.engine.flows.get(namespace, id);
  } catch (error) {
    if (error instanceof FlowNotFoundError) throw new HttpError(404, 'Flow not found');
    throw error;
  }
};

const handle = async (
  ctx: ServerContext,
  services: ExpressionServices,
  req: FastifyRequest,
  reply: FastifyReply,
) => {
  const { namespace, id, key } = req.params as { namespace: string; id: string; key: string };
  const flow = await flowOrNotFound(ctx, namespace, id);
  if (flow.disabled === true) throw new FlowDisabledError(flow);
  const trigger = findWebhook(flow, key, (k) => renderWebhookKey(k, flow, services));
  if (!trigger || trigger.disabled === true) throw new HttpError(404, 'Webhook not found');
  const executionId = newId();
  let decision: ReturnType<typeof evaluateWebhook>;
  try {
    decision = evaluateWebhook({
      flow,
      trigger,
      variables: webhookVariables({
        body: Buffer.isBuffer(req.body) ? req.body : undefined,
        headers: req.headers,
        query: req.query as Record<string, string | string[]>,
      }),
      executionId,
      now: Date.now(),
      services,
      envs: ctx.engine.envs,
    });
  } catch (error) {
    throw new HttpError(
      422,
      `webhook ${trigger.id}: its inputs could not be rendered: ${(error as Error).message}`,
    );
  }
  if (!decision.fire) {
    for (const w of decision.warnings) req.log.warn({ flow: `${namespace}.${id}`, trigger: trigger.id }, w);
    return reply.status(204).send();
  }
  let execution = await ctx.engine.executor.createExecution({
    id: executionId,
    flow,
    revision: flow.revision ?? 1,
    inputs: decision.inputs,
    trigger: decision.trigger,
    // Committed with the execution (actor `webhook`: the key, not a user, let the call in).
    audit: [
      {
        at: new Date().toISOString(),
        actor: 'webhook',
        action: 'execution.webhook',
        target: executionId,
        namespace,
        source: req.ip,
        details: { flowId: id, trigger: trigger.id },
      },
    ],
  });
  const options = webhookOptions(trigger);
  if (!options.wait) return webhookResponse(execution, flow, ctx.engine.cipher);
  execution = await waitForEnd(ctx, reply, executionId);
  const status = options.responseCode ?? (isFailed(execution.state.current) ? 500 : 200);
  if (!options.returnOutputs)
    return reply.status(status).send(webhookResponse(execution, flow, ctx.engine.cipher));
  const outputs = maskSealed(execution.outputs ?? {}, knownSecrets(flow, execution, ctx.engine.cipher));
  if (options.responseContentType === 'text/plain') {
    const text = typeof outputs === 'string' ? outputs : JSON.stringify(outputs);
    return reply.status(status).header('content-type', 'text/plain; charset=utf-8').send(text);
  }
  return reply.status(status).send(outputs);
};

export const webhookRoutes: RouteModule = (app, ctx) => {
  // A trigger's key may come from `secret()`: read from this process's environment, as a worker does.
  const secrets = envSecrets();
  const services: ExpressionServices = { secret: (k) => requireSecret(secrets, k) };
  // Its own scope: any content type is taken as bytes (the trigger decides what the body is).
  void app.register(async (scope: Api) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.route({
      method: ['GET', 'POST', 'PUT'],
      url: '/executions/webhook/:namespace/:id/:key',
      bodyLimit: ctx.options.webhookBodyLimit,
      config: { access: 'public' },
      schema: {
        tags: ['Executions'],
        summary: 'Start an execution through a Webhook trigger (the key is the credential)',
        params: Params,
      },
      handler: (req, reply) => handle(ctx, services, req, reply),
    });
  });
};
