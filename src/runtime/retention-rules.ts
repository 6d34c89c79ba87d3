/**
 * Retention rules, pure: what `baton server --retention 30d --retention-ns company.team=7d
 * --audit-retention 365d` says (validated at start-up), and which ended executions each rule purges
 * now. A namespace rule governs its namespace and those below it; the most specific rule wins, so each
 * rule excepts the namespaces of the more specific rules inside it, and the global rule excepts all.
 * No rule: nothing is purged (the default).
 */
import { UsageError } from '../errors.ts';
import type { RetentionScope } from '../store/retention.ts';
import { ageMs } from '../util/duration.ts';

export interface RetentionConfig {
  /** Age (ms) after their end at which executions are purged, in namespaces without a rule of their own. */
  executionsMs?: number;
  /** Per-namespace ages (ms). */
  namespaces: { namespace: string; ageMs: number }[];
  /** Age (ms) at which audit entries are purged. */
  auditMs?: number;
}

export interface RetentionInput {
  /** `--retention` (else $BATON_RETENTION). */
  retention?: string;
  /** `--retention-ns NAMESPACE=AGE`, repeatable. */
  namespaces?: string[];
  /** `--audit-retention` (else $BATON_AUDIT_RETENTION). */
  audit?: string;
}

const NAMESPACE = /^[A-Za-z0-9_][A-Za-z0-9_-]*(\.[A-Za-z0-9_][A-Za-z0-9_-]*)*$/;
const EXAMPLES = 'such as 30d, 12h, 90m, 45s, P30D or PT1H';

const age = (text: string, what: string): number => {
  const ms = ageMs(text);
  if (ms === undefined) throw new UsageError(`${what} '${text}' is not a duration ${EXAMPLES}`);
  return ms;
};

/** Throws a UsageError naming the bad value. */
export const parseRetention = (input: RetentionInput): RetentionConfig => {
  const namespaces: RetentionConfig['namespaces'] = [];
  for (const pair of input.namespaces ?? []) {
    const eq = pair.indexOf('=');
    const namespace = pair.slice(0, Math.max(eq, 0));
    if (eq <= 0 || !NAMESPACE.test(namespace))
      throw new UsageError(`--retention-ns '${pair}' must be written NAMESPACE=AGE, such as company.team=7d`);
    if (namespaces.some((n) => n.namespace === namespace))
      throw new UsageError(`--retention-ns: namespace '${namespace}' is given twice`);
    namespaces.push({ namespace, ageMs: age(pair.slice(eq + 1), `--retention-ns ${namespace}`) });
  }
  return {
    executionsMs: input.retention === undefined ? undefined : age(input.retention, '--retention'),
    namespaces,
    auditMs: input.audit === undefined ? undefined : age(input.audit, '--audit-retention'),
  };
};

export const retentionOn = (config: RetentionConfig): boolean =>
  config.executionsMs !== undefined || config.namespaces.length > 0 || config.auditMs !== undefined;

const below = (namespace: string, parent: string) => namespace.startsWith(`${parent}.`);

/** The scopes to purge at `now`: one per rule, each without the namespaces of more specific rules. */
export const executionScopes = (config: RetentionConfig, now: number): RetentionScope[] => {
  const scopes: RetentionScope[] = config.namespaces.map(({ namespace, ageMs }) => ({
    endedBefore: new Date(now - ageMs).toISOString(),
    namespace,
    except: config.namespaces.map((n) => n.namespace).filter((n) => below(n, namespace)),
  }));
  if (config.executionsMs !== undefined)
    scopes.push({
      endedBefore: new Date(now - config.executionsMs).toISOString(),
      except: config.namespaces.map((n) => n.namespace),
    });
  return scopes;
};

/** The instant before which audit entries are purged at `now`, if they are. */
export const auditBefore = (config: RetentionConfig, now: number): string | undefined =>
  config.auditMs === undefined ? undefined : new Date(now - config.auditMs).toISOString();

/** How the rules read in a log line: `30d` style is the user's, this is for the record. */
export const describeRetention = (config: RetentionConfig): Record<string, string> => {
  const days = (ms: number) => `${+(ms / 86_400_000).toFixed(4)}d`;
  const out: Record<string, string> = {};
  if (config.executionsMs !== undefined) out.executions = days(config.executionsMs);
  for (const n of config.namespaces) out[`namespace ${n.namespace}`] = days(n.ageMs);
  if (config.auditMs !== undefined) out.audit = days(config.auditMs);
  return out;
};
