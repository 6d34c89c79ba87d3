/** Shorthand for condition definitions: canonical name, old names and a short alias derived from the class name. */
import type { TObject } from '@sinclair/typebox';
import type { TaskDefinition } from '../types.ts';

const CORE = 'io.kestra.plugin.core.condition.';
const OLD = 'io.kestra.core.models.conditions.types.';

export interface ConditionSpec {
  /** Current class name, e.g. `ExecutionFlow`. */
  name: string;
  /**
   * Class name before Kestra 0.20 renamed it (`ExecutionFlowCondition`), used in both old packages; defaults
   * to `${name}Condition`; null when the type never had another name.
   */
  oldName?: string | null;
  title: string;
  description: string;
  example: string;
  properties: TObject;
  deprecated?: boolean;
}

export const defineCondition = (spec: ConditionSpec): TaskDefinition => {
  const oldName = spec.oldName === undefined ? `${spec.name}Condition` : spec.oldName;
  const type = `${CORE}${spec.name}`;
  const aliases = oldName ? [`${CORE}${oldName}`, `${OLD}${oldName}`].filter((n) => n !== type) : [];
  return {
    type,
    aliases: [...aliases, spec.name.toLowerCase()],
    kind: 'condition',
    title: spec.title,
    description: spec.description,
    example: spec.example,
    properties: spec.properties,
    ...(spec.deprecated ? { deprecated: true } : {}),
  };
};
