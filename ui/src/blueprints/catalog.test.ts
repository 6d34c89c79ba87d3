import { describe, expect, it } from 'vitest';
import { allTags, BLUEPRINTS, blueprintOf, flowSourceOf, searchBlueprints } from './catalog.ts';

describe('blueprints catalog', () => {
  it('reads title, tags and the flow from a file', () => {
    const b = blueprintOf(
      './flows/x.yaml',
      '# title: An example\n# tags: a, b\nid: ex\nnamespace: n\ndescription: Does things\ntasks: []\n',
    );
    expect(b).toMatchObject({
      name: 'x',
      title: 'An example',
      tags: ['a', 'b'],
      flowId: 'ex',
      namespace: 'n',
      description: 'Does things',
    });
    expect(flowSourceOf(b)).toBe('id: ex\nnamespace: n\ndescription: Does things\ntasks: []\n');
  });

  it('bundles every blueprint file, each with tags', () => {
    expect(BLUEPRINTS.length).toBeGreaterThanOrEqual(12);
    for (const b of BLUEPRINTS) expect(b.tags.length, b.name).toBeGreaterThan(0);
  });

  it('searches by words (all of them) and by tag', () => {
    expect(searchBlueprints(BLUEPRINTS, 'nightly sql').map((b) => b.flowId)).toEqual(['sql_nightly_export']);
    expect(searchBlueprints(BLUEPRINTS, '', 'amqp').map((b) => b.flowId)).toEqual(['amqp_consumer']);
    expect(searchBlueprints(BLUEPRINTS, 'no such thing')).toEqual([]);
    expect(allTags(BLUEPRINTS)[0]).toBeTruthy();
  });
});
