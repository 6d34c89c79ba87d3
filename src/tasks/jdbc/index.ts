/**
 * SQL databases with Kestra's JDBC plugin types: `io.kestra.plugin.jdbc.{postgresql,mysql,sqlite}` each
 * with Query, Queries and Trigger. The dialect comes from the JDBC `url`; drivers are pure JavaScript
 * (`pg`, `mysql2`) or built into Node (`node:sqlite`), loaded on first use.
 */
import { Type } from '@sinclair/typebox';
import { DEnum, DString, Duration, dyn, JsonMap, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

interface Family {
  pkg: string;
  name: string;
  url: string;
}

const FAMILIES: Family[] = [
  { pkg: 'postgresql', name: 'PostgreSQL', url: 'jdbc:postgresql://127.0.0.1:5432/test' },
  { pkg: 'mysql', name: 'MySQL or MariaDB', url: 'jdbc:mysql://127.0.0.1:3306/test' },
  { pkg: 'sqlite', name: 'SQLite', url: 'jdbc:sqlite:/var/data/app.db' },
];

const FETCH_TYPES = ['FETCH', 'FETCH_ONE', 'STORE', 'NONE'] as const;

const common = (f: Family) => ({
  url: DString({
    minLength: 1,
    description: `JDBC URL of the database, e.g. \`${f.url}\` (parameters such as \`?sslmode=require\` are read).`,
  }),
  username: DString({ description: 'User to connect as; use `{{ secret(...) }}`.' }),
  password: DString({ description: 'Password of the user; use `{{ secret(...) }}`: it is never logged.' }),
  sql: DString({ minLength: 1, description: 'The SQL; `:name` placeholders are bound from `parameters`.' }),
  parameters: JsonMap({
    dynamic: true,
    description:
      'Values of the `:name` placeholders of `sql`, bound by the driver (never put into the SQL text).',
  }),
  fetchType: DEnum(FETCH_TYPES, {
    default: 'NONE',
    description:
      'FETCH: all rows as `rows`; FETCH_ONE: the first row as `row`; STORE: rows written to internal ' +
      'storage as Ion (`uri`), readable with `read()` and ForEachItem; NONE: nothing. `size` counts the rows.',
  }),
  fetchSize: dyn(Type.Integer(), {
    default: 10000,
    description: 'Accepted for Kestra compatibility; unused.',
  }),
  timeZoneId: DString({ description: 'Accepted for Kestra compatibility; instants are output in UTC.' }),
  fetch: Type.Boolean({ description: 'Deprecated: use `fetchType: FETCH`.' }),
  fetchOne: Type.Boolean({ description: 'Deprecated: use `fetchType: FETCH_ONE`.' }),
  store: Type.Boolean({ description: 'Deprecated: use `fetchType: STORE`.' }),
});

const afterSQL = DString({
  description: 'SQL run after `sql` in the same transaction (e.g. mark rows done).',
});

const query = (f: Family): TaskDefinition => ({
  type: `io.kestra.plugin.jdbc.${f.pkg}.Query`,
  aliases: [`jdbc.${f.pkg}.query`],
  kind: 'runnable',
  title: `Run one SQL statement on ${f.name}.`,
  description:
    'Runs `sql` with `parameters` bound. Outputs by `fetchType`: `rows` and `size` (FETCH), `row` (FETCH_ONE), ' +
    '`uri` of an Ion file and `size` (STORE). Connections are pooled per worker. An unreachable server is a ' +
    'retryable failure; an SQL error is not.',
  example: `id: active_users
type: io.kestra.plugin.jdbc.${f.pkg}.Query
url: ${f.url}
username: "{{ secret('DB_USER') }}"
password: "{{ secret('DB_PASSWORD') }}"
sql: SELECT id, email FROM users WHERE active = :active
parameters:
  active: true
fetchType: FETCH
`,
  properties: Props({ ...common(f), afterSQL }, { required: ['url', 'sql'] }),
});

const queries = (f: Family): TaskDefinition => ({
  type: `io.kestra.plugin.jdbc.${f.pkg}.Queries`,
  aliases: [`jdbc.${f.pkg}.queries`],
  kind: 'runnable',
  title: `Run several SQL statements on ${f.name}.`,
  description:
    'Runs the statements of `sql` (separated by `;`) in order, in one transaction unless `transaction: false`. ' +
    'Output `outputs`: one entry per statement that returned rows, shaped by `fetchType` as in Query.',
  example: `id: refresh
type: io.kestra.plugin.jdbc.${f.pkg}.Queries
url: ${f.url}
sql: |
  DELETE FROM daily_totals WHERE day = :day;
  INSERT INTO daily_totals SELECT :day, count(*) FROM orders WHERE day = :day;
  SELECT * FROM daily_totals WHERE day = :day;
parameters:
  day: "{{ execution.startDate | date('yyyy-MM-dd') }}"
fetchType: FETCH
`,
  properties: Props(
    {
      ...common(f),
      transaction: dyn(Type.Boolean(), {
        default: true,
        description: 'Run all statements in one transaction (rolled back when one fails).',
      }),
    },
    { required: ['url', 'sql'] },
  ),
});

const trigger = (f: Family): TaskDefinition => ({
  type: `io.kestra.plugin.jdbc.${f.pkg}.Trigger`,
  aliases: [`jdbc.${f.pkg}.trigger`],
  kind: 'trigger',
  title: `Start an execution when a query on ${f.name} returns rows.`,
  description:
    'Runs `sql` every `interval`; when it returns rows, starts an execution with `{{ trigger.rows }}` ' +
    '(FETCH) or `{{ trigger.row }}` (FETCH_ONE) and `{{ trigger.size }}`. Use `afterSQL` to mark the rows ' +
    'as processed in the same transaction (committed once the execution is stored), so the next poll does ' +
    'not find them again. fetchType STORE is not supported here (no execution owns a file yet).',
  example: `id: new_orders
type: io.kestra.plugin.jdbc.${f.pkg}.Trigger
url: ${f.url}
interval: PT1M
sql: SELECT * FROM orders WHERE processed = false
afterSQL: UPDATE orders SET processed = true WHERE processed = false
fetchType: FETCH
`,
  properties: Props(
    {
      ...common(f),
      afterSQL,
      interval: Duration({ default: 'PT1M', description: 'Time between two polls.' }),
    },
    { required: ['url', 'sql'] },
  ),
});

export const sqlTriggerTypes = FAMILIES.flatMap((f) => [
  `io.kestra.plugin.jdbc.${f.pkg}.Trigger`,
  `jdbc.${f.pkg}.trigger`,
]);

export const jdbcDefinitions: TaskDefinition[] = FAMILIES.flatMap((f) => [query(f), queries(f), trigger(f)]);
