/** `baton audit [--actor A] [--action X] [--namespace NS] [--target T] [--since WHEN] [--limit N] [--json]`. */
import { UsageError } from '../errors.ts';
import type { StoredAuditEntry } from '../store/types.ts';
import { openAccessStore, parseAge } from './access-store.ts';
import { dataDirOption, parse } from './args.ts';

/** An ISO instant, or a duration ago (`30m`, `7d`). */
const sinceInstant = (text: string): string => {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = Date.parse(text);
    if (Number.isNaN(at)) throw new UsageError(`--since '${text}' is not a date`);
    return new Date(at).toISOString();
  }
  return new Date(Date.now() - parseAge(text, '--since')).toISOString();
};

const line = (e: StoredAuditEntry): string =>
  [
    e.at,
    e.actor,
    e.action,
    e.target || '-',
    e.namespace ? `ns=${e.namespace}` : '',
    e.source ? `from ${e.source}` : '',
    e.details ? JSON.stringify(e.details) : '',
  ]
    .filter(Boolean)
    .join('  ');

export const main = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parse(argv, {
    ...dataDirOption,
    actor: { type: 'string' },
    action: { type: 'string' },
    namespace: { type: 'string' },
    target: { type: 'string' },
    since: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit must be a positive integer, not '${values.limit}'`);
  const store = await openAccessStore(values);
  try {
    const entries = await store.queryAudit({
      actor: values.actor,
      action: values.action,
      namespace: values.namespace,
      target: values.target,
      since: values.since === undefined ? undefined : sinceInstant(values.since),
      limit,
    });
    if (values.json) console.log(JSON.stringify(entries, null, 2));
    else for (const e of entries) console.log(line(e));
    return 0;
  } finally {
    await store.close();
  }
};
