import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flowTopology } from './topology.ts';

const edgesOf = (doc: string) => flowTopology(parse(doc)).edges.map((e) => `${e.source}>${e.target}`);
const labels = (doc: string) => flowTopology(parse(doc)).nodes.map((n) => `${n.kind}:${n.label}`);

describe('flowTopology', () => {
  it('chains tasks from start to end, triggers leading to start', () => {
    const doc = `
id: f
namespace: n
triggers:
  - id: daily
    type: io.kestra.plugin.core.trigger.Schedule
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
  - id: b
    type: io.kestra.plugin.core.log.Log
`;
    expect(labels(doc)).toEqual(['start:start', 'trigger:daily', 'task:a', 'task:b', 'end:end']);
    expect(edgesOf(doc)).toEqual(['triggers.0>start', 'tasks.0>tasks.1', 'start>tasks.0', 'tasks.1>end']);
    expect(flowTopology(parse(doc)).nodes.find((n) => n.id === 'tasks.0')?.type).toBe('Log');
  });

  it('draws If branches as named groups inside the task, Parallel children side by side', () => {
    const doc = `
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    then:
      - id: yes1
        type: x.Log
      - id: yes2
        type: x.Log
    else:
      - id: no
        type: x.Log
  - id: fan
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: p1
        type: x.Log
      - id: p2
        type: x.Log
`;
    const { nodes, edges } = flowTopology(parse(doc));
    const byId = new Map(nodes.map((n) => [n.id, n]));
    expect(byId.get('tasks.0')).toMatchObject({ kind: 'group', label: 'check', type: 'If' });
    expect(byId.get('tasks.0.then')).toMatchObject({ kind: 'branch', label: 'then', parent: 'tasks.0' });
    expect(byId.get('tasks.0.then.1')).toMatchObject({ label: 'yes2', parent: 'tasks.0.then' });
    expect(byId.get('tasks.0.else.0')).toMatchObject({ label: 'no', parent: 'tasks.0.else' });
    const pairs = edges.map((e) => `${e.source}>${e.target}`);
    expect(pairs).toContain('tasks.0.then.0>tasks.0.then.1');
    expect(pairs).toContain('tasks.0>tasks.1');
    // Parallel: no edge between its children.
    expect(pairs).not.toContain('tasks.1.tasks.0>tasks.1.tasks.1');
    // Groups come before their children (the graph library needs parents first).
    const order = nodes.map((n) => n.id);
    for (const n of nodes) if (n.parent) expect(order.indexOf(n.parent)).toBeLessThan(order.indexOf(n.id));
  });

  it('joins Dag tasks by dependsOn, and Switch cases become branches', () => {
    const doc = `
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task: { id: extract, type: x.Log }
      - task: { id: load, type: x.Log }
        dependsOn: [extract, extract]
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    cases:
      A:
        - id: a
          type: x.Log
    defaults:
      - id: other
        type: x.Log
`;
    const { nodes, edges } = flowTopology(parse(doc));
    expect(
      edges.filter((e) => e.source === 'tasks.0.tasks.0' && e.target === 'tasks.0.tasks.1'),
    ).toHaveLength(1);
    expect(nodes.find((n) => n.id === 'tasks.1.cases.A')).toMatchObject({ kind: 'branch', label: 'case A' });
    expect(nodes.find((n) => n.id === 'tasks.1.defaults')).toMatchObject({
      kind: 'branch',
      label: 'defaults',
    });
  });

  it('draws what it can of a half-typed document', () => {
    expect(labels('tasks:\n  - id: a\n  - 3\n  -\n')).toEqual([
      'start:start',
      'task:a',
      'task:(no id)',
      'task:(no id)',
      'end:end',
    ]);
    expect(labels('just text')).toEqual(['start:start', 'end:end']);
    expect(flowTopology(null).edges).toEqual([{ id: 'start->end', source: 'start', target: 'end' }]);
  });

  it('puts flow-level finally before the end and errors apart', () => {
    const doc =
      'tasks:\n  - {id: a, type: x.Log}\nerrors:\n  - {id: alert, type: x.Log}\nfinally:\n  - {id: clean, type: x.Log}\n';
    const pairs = edgesOf(doc);
    expect(pairs).toEqual(expect.arrayContaining(['tasks.0>finally', 'finally>end']));
    expect(pairs.some((p) => p.includes('errors'))).toBe(false);
    expect(labels(doc)).toContain('branch:errors');
  });
});
