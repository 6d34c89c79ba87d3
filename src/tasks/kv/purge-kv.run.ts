/**
 * kv.PurgeKV: deletes keys of the chosen namespaces (expired ones only by default); outputs `size`.
 * Baton's own state (namespaces `__baton_*`: trigger windows, toggles) is never purged.
 */
import type { KvEntry } from '../../store/types.ts';
import type { RunFunction } from '../context.ts';
import { nameGlob, namespaceFilter } from '../purge.ts';

export const run: RunFunction<{
  namespaces?: string[];
  namespacePattern?: string;
  includeChildNamespaces?: boolean;
  keyPattern?: string;
  behavior?: { type: 'key' | 'version'; expiredOnly?: boolean };
  expiredOnly?: boolean;
}> = async (ctx, props) => {
  const behavior =
    props.expiredOnly !== undefined
      ? { type: 'key' as const, expiredOnly: props.expiredOnly }
      : (props.behavior ?? { type: 'key' as const, expiredOnly: true });
  const inNamespaces = namespaceFilter(props, 'PurgeKV');
  const keyPattern = props.keyPattern ? nameGlob(props.keyPattern) : undefined;
  const now = Date.now();
  const expired = (e: KvEntry) => e.expiresAt !== undefined && Date.parse(e.expiresAt) <= now;
  const toPurge =
    behavior.type === 'version' // one version per key: no old version to delete
      ? []
      : (await ctx.store.kvScan()).filter(
          (e) =>
            inNamespaces(e.namespace) &&
            (!keyPattern || keyPattern(e.key)) &&
            (behavior.expiredOnly === false || expired(e)),
        );
  const namespaces = [...new Set(toPurge.map((e) => e.namespace))];
  ctx.logger.info(
    `purging ${toPurge.length} key(s) of ${namespaces.length} namespace(s): ${namespaces.join(', ')}`,
  );
  for (const e of toPurge) await ctx.store.kvDelete(e.namespace, e.key);
  return { outputs: { size: toPurge.length } };
};
