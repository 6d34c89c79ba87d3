/** The Webhook trigger's pure part: key matching, body decoding, trigger variables, conditions and inputs. */
import { describe, expect, it } from 'vitest';
import {
  evaluateWebhook,
  findWebhook,
  renderWebhookKey,
  sameKey,
  webhookBody,
  webhookOptions,
  webhookVariables,
} from '../../src/triggers/webhook.ts';
import { flowOf } from './helpers.ts';

const flow = flowOf(`id: hooked
namespace: company.team
tasks:
  - id: t
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
  - id: first
    type: io.kestra.plugin.core.trigger.Webhook
    key: "{{ secret('HOOK_KEY') }}"
    wait: true
    returnOutputs: true
  - id: second
    type: io.kestra.plugin.core.trigger.Webhook
    key: plain-key
    inputs:
      name: "{{ trigger.body.name }}"
      agent: "{{ trigger.headers['user-agent'][0] }}"
    conditions:
      - type: io.kestra.plugin.core.condition.Expression
        expression: "{{ trigger.parameters.env[0] == 'prod' }}"
`);
const services = { secret: (k: string) => (k === 'HOOK_KEY' ? 'from-secret' : 'other') };
const render = (k: string) => renderWebhookKey(k, flow, services);

describe('webhook trigger', () => {
  it('compares keys in full, whatever their lengths', () => {
    expect(sameKey('abc', 'abc')).toBe(true);
    expect(sameKey('abc', 'abcd')).toBe(false);
    expect(sameKey('', 'x')).toBe(false);
  });

  it('finds the trigger whose key (rendered from a secret or not) matches', () => {
    expect(findWebhook(flow, 'from-secret', render)?.id).toBe('first');
    expect(findWebhook(flow, 'plain-key', render)?.id).toBe('second');
    expect(findWebhook(flow, 'plain-ke', render)).toBeUndefined();
    expect(findWebhook(flow, "{{ secret('HOOK_KEY') }}", render)).toBeUndefined();
    // a key that cannot be rendered leaves its trigger out
    const failing = (k: string) => {
      if (k.includes('secret')) throw new Error('no secret');
      return k;
    };
    expect(findWebhook(flow, 'plain-key', failing)?.id).toBe('second');
    expect(webhookOptions(flow.triggers![0]!)).toMatchObject({ wait: true, returnOutputs: true });
    expect(webhookOptions(flow.triggers![1]!)).toMatchObject({ wait: false, returnOutputs: false });
  });

  it('reads the body as Kestra does: JSON objects and arrays parsed, other text kept, bytes base64', () => {
    expect(webhookBody(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(webhookBody(Buffer.from('[1,2]'))).toEqual([1, 2]);
    expect(webhookBody(Buffer.from('42'))).toBe('42');
    expect(webhookBody(Buffer.from('{ not json'))).toBe('{ not json');
    expect(webhookBody(Buffer.from([0xff, 0xfe, 0x00]))).toBe(
      Buffer.from([0xff, 0xfe, 0x00]).toString('base64'),
    );
    expect(webhookBody(undefined)).toBeUndefined();
    expect(webhookBody(Buffer.alloc(0))).toBeUndefined();
  });

  it('evaluates conditions and renders inputs with the request as variables, never as a template', () => {
    const trigger = flow.triggers![1]!;
    const variables = (env: string) =>
      webhookVariables({
        body: Buffer.from(JSON.stringify({ name: '{{ 7 * 7 }}' })),
        headers: { 'user-agent': 'curl/8' },
        query: { env },
      });
    const fired = evaluateWebhook({ flow, trigger, variables: variables('prod'), executionId: 'e1', now: 0 });
    expect(fired).toMatchObject({
      fire: true,
      inputs: { name: '{{ 7 * 7 }}', agent: 'curl/8' },
      trigger: {
        id: 'second',
        type: 'io.kestra.plugin.core.trigger.Webhook',
        variables: {
          body: { name: '{{ 7 * 7 }}' },
          headers: { 'user-agent': ['curl/8'] },
          parameters: { env: ['prod'] },
        },
      },
    });
    const skipped = evaluateWebhook({
      flow,
      trigger,
      variables: variables('dev'),
      executionId: 'e2',
      now: 0,
    });
    expect(skipped).toMatchObject({ fire: false, reason: 'conditions' });
  });
});
