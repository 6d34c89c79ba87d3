/**
 * jdbc Query and Queries on the real PostgreSQL, MariaDB and SQLite of the machine, through flows run
 * by a real embedded engine: each fetchType, parameters bound (a value holding `'; DROP TABLE` stays a
 * value), STORE files read back with `read()` and ForEachItem, Queries' per-statement outputs and
 * transaction, the SQL error naming the statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';
import { type Db, openMariadb, openPostgres, openSqliteFile, uniqueName } from './sql-helpers.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => engine?.dispose());

const outputsOf = (e: Execution, taskId: string) =>
  (e.taskRuns.find((t) => t.taskId === taskId)?.outputs ?? {}) as Record<string, unknown>;

const EVIL = "x'; DROP TABLE IF EXISTS victims; --";

describe.each([
  ['postgresql', openPostgres],
  ['mysql', openMariadb],
  ['sqlite', openSqliteFile],
] as const)('%s', (name, open) => {
  let db: Db;
  const table = uniqueName('baton_items');
  const ns = `sql.${name}`;
  const conn = () => `    url: ${db.url}\n${db.username ? `    username: ${db.username}\n` : ''}`;
  const task = (id: string, kind: string, extra: string) =>
    `  - id: ${id}\n    type: io.kestra.plugin.jdbc.${name}.${kind}\n${conn()}${extra}`;

  beforeAll(async () => {
    db = await open();
    await db.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name VARCHAR(100), qty INTEGER)`);
  });
  afterAll(async () => {
    await db?.exec(`DROP TABLE IF EXISTS ${table}`);
    await db?.close();
  });

  it('inserts with bound parameters, then fetches with every fetchType; STORE reads back', async () => {
    await engine.deploy(`id: roundtrip
namespace: ${ns}
tasks:
${task(
  'insert',
  'Queries',
  `    sql: |
      INSERT INTO ${table} (id, name, qty) VALUES (:id1, :evil, :q);
      INSERT INTO ${table} (id, name, qty) VALUES (:id2, 'plain; with :notaparam', NULL);
      INSERT INTO ${table} (id, name, qty) VALUES (3, 'third', 30);
    parameters:
      id1: 1
      id2: 2
      evil: "${EVIL.replace(/"/g, '\\"')}"
      q: 10
`,
)}
${task('fetch', 'Query', `    sql: SELECT id, name, qty FROM ${table} WHERE id <= :max ORDER BY id\n    parameters:\n      max: 3\n    fetchType: FETCH\n`)}
${task('one', 'Query', `    sql: SELECT name FROM ${table} WHERE name = :n\n    parameters:\n      n: "${EVIL.replace(/"/g, '\\"')}"\n    fetchType: FETCH_ONE\n`)}
${task('store', 'Query', `    sql: SELECT id, name FROM ${table} ORDER BY id\n    fetchType: STORE\n`)}
${task('none', 'Query', `    sql: UPDATE ${table} SET qty = 31 WHERE id = 3\n    fetchType: NONE\n`)}
  - id: readback
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(outputs.store.uri) }}"
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ outputs.store.uri }}"
    batch:
      rows: 1
    namespace: ${ns}
    flowId: child
    inputs:
      file: "{{ taskrun.items }}"
    wait: true
`);
    await engine.deploy(`id: child
namespace: ${ns}
inputs:
  - id: file
    type: FILE
tasks:
  - id: line
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(inputs.file) | trim }}"
`);
    const e = await engine.run(ns, 'roundtrip');
    expect(e.state.current, JSON.stringify(e.taskRuns.map((t) => [t.taskId, t.state.current]))).toBe(
      'SUCCESS',
    );

    const rows = outputsOf(e, 'fetch').rows as Record<string, unknown>[];
    expect(outputsOf(e, 'fetch').size).toBe(3);
    expect(rows).toEqual([
      { id: 1, name: EVIL, qty: 10 },
      { id: 2, name: 'plain; with :notaparam', qty: null },
      { id: 3, name: 'third', qty: 30 },
    ]);
    expect(outputsOf(e, 'one')).toEqual({ row: { name: EVIL }, size: 1 });
    expect(outputsOf(e, 'store').size).toBe(3);
    expect(String(outputsOf(e, 'store').uri)).toMatch(/^kestra:\/\/\/.*\.ion$/);
    expect(outputsOf(e, 'none')).toEqual({});
    expect(outputsOf(e, 'insert').outputs).toEqual([]);
    // The Ion file as Kestra writes it: one row a line.
    expect(outputsOf(e, 'readback').value).toBe(
      `{id:1,name:${JSON.stringify(EVIL)}}\n{id:2,name:"plain; with :notaparam"}\n{id:3,name:"third"}\n`,
    );
    // ForEachItem split the file into one child execution per row.
    const children = await engine.store.listExecutions({ namespace: ns, flowId: 'child', limit: 10 });
    expect(children.map((c) => c.state.current)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    const full = await Promise.all(children.map(async (c) => (await engine.store.getExecution(c.id))!));
    const lines = full.map((c) => outputsOf(c, 'line').value).sort();
    expect(lines).toEqual([
      `{id:1,name:${JSON.stringify(EVIL)}}`,
      '{id:2,name:"plain; with :notaparam"}',
      '{id:3,name:"third"}',
    ]);

    // The NONE update ran; the table is still there (the value was never SQL).
    const check = await engine.deploy(`id: check
namespace: ${ns}
tasks:
${task('q', 'Query', `    sql: SELECT qty FROM ${table} WHERE id = 3\n    fetchType: FETCH_ONE\n`)}
`);
    const c = await engine.run(check.namespace, check.id);
    expect(outputsOf(c, 'q').row).toEqual({ qty: 31 });
  });

  it('Queries: one output per result set, in one transaction rolled back when a statement fails', async () => {
    await engine.deploy(`id: multi
namespace: ${ns}
tasks:
${task(
  'q',
  'Queries',
  `    sql: |
      UPDATE ${table} SET qty = 0 WHERE id = 1;
      SELECT count(*) AS n FROM ${table};
      -- a comment; with a semicolon
      SELECT name FROM ${table} WHERE id = :id ORDER BY id;
    parameters:
      id: 3
    fetchType: FETCH
`,
)}
`);
    const e = await engine.run(ns, 'multi');
    expect(e.state.current).toBe('SUCCESS');
    expect(outputsOf(e, 'q').outputs).toEqual([
      { rows: [{ n: 3 }], size: 1 },
      { rows: [{ name: 'third' }], size: 1 },
    ]);

    await engine.deploy(`id: failing
namespace: ${ns}
tasks:
${task(
  'q',
  'Queries',
  `    sql: |
      UPDATE ${table} SET qty = 999 WHERE id = 2;

      SELECT nope FROM ${table};
`,
)}
`);
    const f = await engine.run(ns, 'failing');
    expect(f.state.current).toBe('FAILED');
    const logs = await engine.store.queryLogs({ executionId: f.id });
    const error = logs.find((l) => l.level === 'ERROR')?.message ?? '';
    expect(error).toMatch(/SQL error in statement 2 of 2 \(starting at line 3\)/);
    // Not retried: an SQL error is not retryable.
    expect(f.taskRuns[0]?.attempts.length).toBe(1);
    const after = await engine.deploy(`id: after
namespace: ${ns}
tasks:
${task('q', 'Query', `    sql: SELECT qty FROM ${table} WHERE id = 2\n    fetchType: FETCH_ONE\n`)}
`);
    const a = await engine.run(after.namespace, after.id);
    expect(outputsOf(a, 'q').row).toEqual({ qty: null });
  });
});
