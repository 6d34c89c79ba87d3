/** Lookups: a synchronous render answered from asynchronous sources, round after round. */
import { describe, expect, it } from 'vitest';
import { type LookupSources, Lookups, renderTyped } from '../../src/expression/index.ts';
import { JQ_BLOCKING_TIME_LIMIT_MS } from '../../src/expression/jq.ts';

/** Sources over in-memory data, answering a turn of the event loop later; counts what is asked. */
const sources = (kv: Record<string, unknown>, files: Record<string, string> = {}) => {
  const asked: string[] = [];
  const later = () => new Promise((resolve) => setImmediate(resolve));
  const s: LookupSources = {
    kv: async (ns, key) => {
      asked.push(`kv:${key}`);
      await later();
      return Object.hasOwn(kv, `${ns}/${key}`) ? { value: kv[`${ns}/${key}`] } : undefined;
    },
    read: async (path) => {
      asked.push(`read:${path}`);
      await later();
      if (!Object.hasOwn(files, path)) throw new Error(`No file in internal storage at ${path}`);
      return files[path]!;
    },
  };
  return { s, asked };
};

const ctx = { flow: { namespace: 'n' } };

describe('Lookups', () => {
  it('resolves independent lookups together and dependent ones round after round', async () => {
    const { s, asked } = sources({ 'n/a': 'A', 'n/b': 'B', 'n/ptr': 'a' }, { 'kestra:///f': 'ptr' });
    const lookups = new Lookups(s);
    const render = (t: string) => () => renderTyped(t, ctx, { services: lookups.services });
    expect(await lookups.run(render("{{ kv('a') }}{{ kv('b') }}"))).toBe('AB');
    expect(await lookups.run(render("{{ kv(kv(read('kestra:///f'))) }}"))).toBe('A');
    // Answers are kept: nothing is asked twice. (A round may ask with a placeholder's value, `kv('')`.)
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked).toEqual(expect.arrayContaining(['kv:a', 'kv:b', 'kv:ptr', 'read:kestra:///f']));
  });

  it('throws the errors of the lookups that the final render uses, and only those', async () => {
    const { s } = sources({});
    const lookups = new Lookups(s);
    const render = (t: string) => () => renderTyped(t, ctx, { services: lookups.services });
    await expect(lookups.run(render("{{ kv('x') }}"))).rejects.toThrow(
      "no value for key 'x' in namespace 'n'",
    );
    expect(await lookups.run(render("{{ kv('x', errorOnMissing=false) ?? 'none' }}"))).toBe('none');
    await expect(lookups.run(render("{{ read('kestra:///none') }}"))).rejects.toThrow('No file');
    expect(
      await lookups.run(
        render("{% if kv('x', errorOnMissing=false) != null %}{{ read('kestra:///none') }}{% endif %}ok"),
      ),
    ).toBe('ok');
  });

  it('bounds chains of lookups feeding each other', async () => {
    const chain = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`n/k${i}`, `k${i + 1}`]));
    const lookups = new Lookups(sources(chain).s);
    const deep = `{{ ${Array.from({ length: 20 }).reduce<string>((e) => `kv(${e})`, "'k0'")} }}`;
    await expect(lookups.run(() => renderTyped(deep, ctx, { services: lookups.services }))).rejects.toThrow(
      'more than 16 rounds',
    );
  });

  it('outside run(), a render reads only what is known, and says how to render instead', async () => {
    const lookups = new Lookups(sources({ 'n/a': 'A' }).s);
    const render = () => renderTyped("{{ kv('a') }}", ctx, { services: lookups.services });
    expect(render).toThrow('kv() needs an asynchronous lookup');
    expect(await lookups.run(render)).toBe('A');
    expect(render()).toBe('A');
  });

  it('runs jq without blocking, and falls back to a short blocking run outside run()', async () => {
    const lookups = new Lookups({});
    const render = (t: string) => () => renderTyped(t, ctx, { services: lookups.services });
    expect(await lookups.run(render("{{ {'a': [1, 2]} | jq('.a | add') | first }}"))).toBe(3);
    expect(render("{{ {'b': 1} | jq('.b') | first }}")()).toBe(1);
  });
});

describe('Lookups.sharedServices', () => {
  it('answer from the Lookups whose render is running, each from its own sources and answers', async () => {
    const a = sources({ 'n/k': 'from a' });
    const b = sources({ 'n/k': 'from b' });
    const shared = Lookups.sharedServices(a.s);
    const one = new Lookups(a.s);
    const two = new Lookups(b.s);
    const render = () => renderTyped("{{ kv('k') }}", ctx, { services: shared });
    const [x, y] = await Promise.all([one.run(render), two.run(render)]);
    expect([x, y]).toEqual(['from a', 'from b']);
    // Outside `run`, `sync` reads what its own lookups know.
    expect(one.sync(render)).toBe('from a');
    expect(two.sync(render)).toBe('from b');
    expect(() => new Lookups(a.s).sync(render)).toThrow('kv() needs an asynchronous lookup');
    expect(render).toThrow('kv() was called outside the renders of its lookups');
  });

  it('are those the sources have', () => {
    expect(Object.keys(Lookups.sharedServices({})).sort()).toEqual(['jq']);
    expect(Object.keys(Lookups.sharedServices(sources({}).s)).sort()).toEqual(['jq', 'kv', 'read']);
  });
});

describe('blocking jq fallback', () => {
  it('stops a filter that never ends at its real, short limit', () => {
    const started = Date.now();
    expect(() => renderTyped("{{ 1 | jq('repeat(.)') }}", {})).toThrow(
      `did not finish within ${JQ_BLOCKING_TIME_LIMIT_MS / 1000} s`,
    );
    // The engine's start (compiling the wasm) has its own allowance; the filter gets its limit only.
    expect(Date.now() - started).toBeLessThan(JQ_BLOCKING_TIME_LIMIT_MS + 4_000);
  });
});
