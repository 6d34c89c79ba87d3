/** Store contract: users, API tokens and the append-only audit log. */
import { expect, it } from 'vitest';
import type { StoreRef } from './contract.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

export function accessContract(store: StoreRef): void {
  it('stores users with their role bindings, updates them in place and deletes them with their tokens', async () => {
    const user = {
      name: 'ana',
      passwordHash: 'scrypt$x',
      bindings: [{ role: 'editor' as const, namespace: 'company.*' }],
      disabled: false,
      createdAt: at(0),
      updatedAt: at(0),
    };
    await store().putUser(user);
    await store().putUser({ ...user, name: 'bob', passwordHash: undefined, bindings: [] });
    expect(await store().getUser('ana')).toEqual(user);
    expect((await store().getUser('bob'))?.passwordHash).toBeUndefined();
    await store().putUser({ ...user, disabled: true, updatedAt: at(5) });
    expect(await store().getUser('ana')).toMatchObject({
      disabled: true,
      createdAt: at(0),
      updatedAt: at(5),
    });
    expect((await store().listUsers()).map((u) => u.name)).toEqual(['ana', 'bob']);

    await store().putToken({ id: 't1', user: 'ana', name: 'ci', hash: 'h1', createdAt: at(1) });
    await store().putToken({
      id: 't2',
      user: 'bob',
      name: 'cli',
      hash: 'h2',
      createdAt: at(2),
      expiresAt: at(9),
    });
    expect(await store().findTokenByHash('h2')).toEqual({
      id: 't2',
      user: 'bob',
      name: 'cli',
      hash: 'h2',
      createdAt: at(2),
      expiresAt: at(9),
    });
    await store().touchToken('t1', at(3));
    expect((await store().findTokenByHash('h1'))?.lastUsedAt).toBe(at(3));
    expect((await store().listTokens('ana')).map((t) => t.id)).toEqual(['t1']);
    expect(await store().listTokens()).toHaveLength(2);

    expect(await store().deleteUser('ana')).toBe(true);
    expect(await store().deleteUser('ana')).toBe(false);
    expect(await store().findTokenByHash('h1')).toBeUndefined();
    expect(await store().deleteToken('t2')).toBe(true);
    expect(await store().listTokens()).toEqual([]);
  });

  it('appends audit entries and filters them newest first', async () => {
    await store().appendAudit([
      {
        at: at(1),
        actor: 'ana',
        action: 'flow.create',
        target: 'company.a',
        namespace: 'company',
        source: '10.0.0.1',
      },
      {
        at: at(2),
        actor: 'bob',
        action: 'execution.kill',
        target: 'e1',
        namespace: 'company',
        details: { why: 'x' },
      },
      { at: at(3), actor: 'anonymous', action: 'login.failed', target: 'ana', source: '10.0.0.2' },
    ]);
    const all = await store().queryAudit();
    expect(all.map((e) => e.action)).toEqual(['login.failed', 'execution.kill', 'flow.create']);
    expect(all[1]).toMatchObject({ actor: 'bob', details: { why: 'x' } });
    expect(all[0]?.seq).toBeGreaterThan(all[1]?.seq ?? Infinity);
    expect((await store().queryAudit({ actor: 'ana' })).map((e) => e.target)).toEqual(['company.a']);
    expect((await store().queryAudit({ action: 'execution' })).map((e) => e.target)).toEqual(['e1']);
    expect((await store().queryAudit({ since: at(2), until: at(2) })).map((e) => e.target)).toEqual(['e1']);
    expect((await store().queryAudit({ limit: 1, offset: 1 })).map((e) => e.target)).toEqual(['e1']);
    expect(await store().countAudit()).toBe(3);
    expect(await store().countAudit({ namespace: 'company', limit: 1, offset: 5 })).toBe(2);
    expect(await store().countAudit({ action: 'login', target: 'ana' })).toBe(1);
    expect(await store().countAudit({ actor: 'nobody' })).toBe(0);
  });

  it('commits audit lines with an execution write, and not when the write is rolled back', async () => {
    await store().writeExecution({
      enqueue: [{ queue: 'executor', executionId: 'e1', payload: { type: 'created' } }],
      audit: [
        { at: at(1), actor: 'webhook', action: 'execution.webhook', target: 'e1', namespace: 'company' },
      ],
    });
    expect((await store().queryAudit()).map((e) => `${e.actor} ${e.target}`)).toEqual(['webhook e1']);
    // A write that fails (an ack of a message owned by nobody is fine; a bad KV value is not) takes its
    // audit lines with it.
    await expect(
      store().writeExecution({
        audit: [{ at: at(2), actor: 'ana', action: 'execution.create', target: 'e2' }],
        kv: [
          { namespace: 'n', key: 'k', value: undefined as unknown as null },
          { namespace: 'n', key: 'bad', value: 1n as unknown as null },
        ],
      }),
    ).rejects.toThrow();
    expect((await store().queryAudit()).map((e) => e.target)).toEqual(['e1']);
  });
}
