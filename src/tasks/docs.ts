/**
 * Documentation and JSON Schema of one type, derived from its definition: `baton docs TYPE` prints
 * `describeType()`; `taskJsonSchema()` is the full schema of one task, trigger or condition of the type.
 */
import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import { conditionCommonProperties, taskCommonProperties, triggerCommonProperties } from './common.ts';
import { findDefinition } from './registry.ts';
import type { TaskDefinition } from './types.ts';

/** The properties every item of this kind carries, whatever its type. */
export const commonPropertiesOf = (def: TaskDefinition): Record<string, TSchema> => {
  if (def.kind === 'trigger') return triggerCommonProperties;
  if (def.kind === 'condition') return conditionCommonProperties;
  return taskCommonProperties;
};

const requiredCommon = (def: TaskDefinition): string[] =>
  def.kind === 'condition' ? ['type'] : ['id', 'type'];

/**
 * The full JSON Schema of one task (or trigger, or condition) of this type: common properties, then the
 * type's own (which win on a name clash, e.g. Pause `timeout`), and `type` restricted to the type's names.
 */
export const taskJsonSchema = (def: TaskDefinition): TObject => {
  const own = def.properties as TObject;
  const names = [def.type, ...(def.aliases ?? [])];
  const properties: Record<string, TSchema> = {};
  const required = new Set(requiredCommon(def));
  for (const [name, schema] of Object.entries(commonPropertiesOf(def))) properties[name] = schema;
  for (const [name, schema] of Object.entries(own.properties ?? {})) properties[name] = schema;
  for (const name of own.required ?? []) required.add(name);
  properties.type = Type.Unsafe<string>({ type: 'string', enum: names, description: 'The type name.' });
  return {
    ...Type.Object({}),
    type: 'object',
    title: def.title,
    description: def.description,
    properties,
    required: [...required],
    additionalProperties: false,
    ...(def.deprecated ? { deprecated: true } : {}),
  } as TObject;
};

/** A short, readable rendering of a property schema's type. */
export const schemaTypeName = (schema: TSchema): string => {
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => String(v)).join(' \\| ');
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.anyOf)) {
    const branches = (s.anyOf as TSchema[]).filter(
      (b) => !(b as { pattern?: string }).pattern?.includes('\\{\\{'),
    );
    return [...new Set(branches.map(schemaTypeName))].join(' \\| ');
  }
  if (s.type === 'array') return `list of ${schemaTypeName((s.items as TSchema) ?? {})}`;
  if (s.type === 'object' && s.patternProperties) {
    const value = Object.values(s.patternProperties as Record<string, TSchema>)[0];
    return `map of ${value ? schemaTypeName(value) : 'any'}`;
  }
  if (s.type === 'string' && typeof s.pattern === 'string' && s.pattern.startsWith('^[-+]?[Pp]'))
    return 'duration';
  if (typeof s.type === 'string') return s.type;
  return 'any';
};

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown documentation of a type (canonical name or alias). Throws when the type is unknown. */
export const describeType = (name: string): string => {
  const def = findDefinition(name);
  if (!def) throw new Error(`unknown type ${name}: run \`baton docs\` to list the known types`);
  return describeDefinition(def);
};

export const describeDefinition = (def: TaskDefinition): string => {
  const own = def.properties as TObject;
  const required = new Set(own.required ?? []);
  const lines = [`# ${def.type}`, '', def.title, ''];
  if (def.deprecated) lines.push('**Deprecated.**', '');
  if (def.since) lines.push(`Since Kestra ${def.since}.`, '');
  lines.push(`Kind: ${def.kind}`);
  if (def.aliases?.length) lines.push(`Aliases: ${def.aliases.map((a) => `\`${a}\``).join(', ')}`);
  lines.push('', def.description, '', '## Properties', '');
  const entries = Object.entries(own.properties ?? {});
  if (entries.length === 0) {
    lines.push('No properties of its own.');
  } else {
    lines.push('| name | type | dynamic | required | default | description |', '|---|---|---|---|---|---|');
    for (const [prop, schema] of entries) {
      const s = schema as Record<string, unknown>;
      const def = s.default === undefined ? '' : `\`${JSON.stringify(s.default)}\``;
      lines.push(
        `| \`${prop}\` | ${schemaTypeName(schema)} | ${s.dynamic ? 'yes' : 'no'} | ${required.has(prop) ? 'yes' : 'no'} | ${cell(def)} | ${cell(String(s.description ?? ''))} |`,
      );
    }
  }
  const common = Object.keys(commonPropertiesOf(def)).filter((p) => !(p in (own.properties ?? {})));
  lines.push('', `Common properties: ${common.map((p) => `\`${p}\``).join(', ')}.`);
  lines.push('', '## Example', '', '```yaml', def.example.trimEnd(), '```', '');
  return lines.join('\n');
};
