/** Conditions on dates (used by Schedule triggers; `date` defaults to the trigger date). */
import { Type } from '@sinclair/typebox';
import { DString, Props, StringEnum } from '../schema.ts';
import { defineCondition } from './define.ts';

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const date = DString({
  default: '{{ trigger.date }}',
  description: 'The date-time to check; the trigger date by default.',
});

export const dayWeek = defineCondition({
  name: 'DayWeek',
  title: 'The date falls on a given day of the week.',
  description: 'Holds when `date` is a `dayOfWeek`.',
  example: `type: io.kestra.plugin.core.condition.DayWeek
dayOfWeek: MONDAY
`,
  properties: Props(
    { date, dayOfWeek: StringEnum(DAYS, { description: 'The day of the week.' }) },
    { required: ['dayOfWeek'] },
  ),
});

export const dayWeekInMonth = defineCondition({
  name: 'DayWeekInMonth',
  title: 'The date is the first / last / n-th given weekday of its month.',
  description: 'Holds when `date` is a `dayOfWeek` and its position in the month is `dayInMonth`.',
  example: `type: io.kestra.plugin.core.condition.DayWeekInMonth
dayOfWeek: FRIDAY
dayInMonth: LAST
`,
  properties: Props(
    {
      date,
      dayOfWeek: StringEnum(DAYS, { description: 'The day of the week.' }),
      dayInMonth: StringEnum(['FIRST', 'LAST', 'SECOND', 'THIRD', 'FOURTH'], {
        description: 'Which occurrence of that weekday in the month.',
      }),
    },
    { required: ['dayOfWeek', 'dayInMonth'] },
  ),
});

export const dateTimeBetween = defineCondition({
  name: 'DateTimeBetween',
  title: 'The date is within a period.',
  description:
    'Holds when `date` is after `after` (if set) and before `before` (if set); ISO-8601 date-times.',
  example: `type: io.kestra.plugin.core.condition.DateTimeBetween
after: "2024-01-01T00:00:00Z"
before: "2025-01-01T00:00:00Z"
`,
  properties: Props({
    date,
    after: Type.String({ description: 'The date must be after this date-time.' }),
    before: Type.String({ description: 'The date must be before this date-time.' }),
  }),
});

export const timeBetween = defineCondition({
  name: 'TimeBetween',
  title: 'The time of day is within a range.',
  description:
    'Holds when the time of `date` is after `after` (if set) and before `before` (if set), e.g. `09:00:00`.',
  example: `type: io.kestra.plugin.core.condition.TimeBetween
after: "09:00:00"
before: "18:00:00"
`,
  properties: Props({
    date,
    after: Type.String({
      description: 'The time must be after this time of day (ISO-8601, may have an offset).',
    }),
    before: Type.String({ description: 'The time must be before this time of day.' }),
  }),
});

export const weekend = defineCondition({
  name: 'Weekend',
  title: 'The date is a Saturday or a Sunday.',
  description: 'Holds when `date` falls on a weekend.',
  example: `type: io.kestra.plugin.core.condition.Weekend
`,
  properties: Props({ date }),
});

export const publicHoliday = defineCondition({
  name: 'PublicHoliday',
  title: 'The date is a public holiday.',
  description:
    'Holds when `date` is a public holiday of `country` (ISO 3166 code, e.g. `FR`), optionally of one of ' +
    'its `subDivision`s (e.g. `US-NY`).',
  example: `type: io.kestra.plugin.core.condition.PublicHoliday
country: FR
`,
  properties: Props({
    date,
    country: DString({
      description: 'ISO 3166-1 alpha-2 country code; the server locale country by default.',
    }),
    subDivision: DString({ description: 'ISO 3166-2 subdivision code.' }),
  }),
});

export const timeConditions = [dayWeek, dayWeekInMonth, dateTimeBetween, timeBetween, weekend, publicHoliday];
