import { describe, expect, it } from 'vitest';
import { backfillBody, localInput } from './backfill.ts';

const NOW = Date.parse('2026-11-26T12:00:00Z');

describe('backfill form', () => {
  it('turns the fields into the API request', () => {
    const start = localInput(Date.parse('2026-11-26T09:00:00Z'));
    const end = localInput(Date.parse('2026-11-26T10:00:00Z'));
    expect(
      backfillBody({ start, end, inputs: '{"n": 2}', labels: 'source:backfill, team: data' }, NOW),
    ).toEqual({
      body: {
        start: '2026-11-26T09:00:00.000Z',
        end: '2026-11-26T10:00:00.000Z',
        inputs: { n: 2 },
        labels: [
          { key: 'source', value: 'backfill' },
          { key: 'team', value: 'data' },
        ],
      },
    });
  });

  it('leaves out what is empty: the end is then now', () => {
    const start = localInput(Date.parse('2026-11-26T09:00:00Z'));
    expect(backfillBody({ start, end: '', inputs: ' ', labels: '' }, NOW)).toEqual({
      body: { start: '2026-11-26T09:00:00.000Z' },
    });
  });

  it('says what is wrong, field by field', () => {
    const r = backfillBody({ start: '', end: 'nope', inputs: '[1]', labels: 'novalue' }, NOW);
    expect(r.errors).toEqual({
      start: 'A start date is needed',
      end: 'Not a date',
      inputs: 'A JSON object, e.g. {"name": "value"}',
      labels: 'Not key:value: novalue',
    });
    const later = backfillBody({ start: localInput(NOW + 3_600_000), end: '', inputs: '', labels: '' }, NOW);
    expect(later.errors?.start).toBe('The start must be in the past');
  });
});
