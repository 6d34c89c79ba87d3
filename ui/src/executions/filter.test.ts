import { describe, expect, it } from 'vitest';
import { apiQuery, filtersFromParams, paramsFromFilters, parseLabelText } from './filter.ts';

describe('executions list filters', () => {
  it('round-trips through the page URL', () => {
    const text =
      'namespace=company.team&flowId=greet&state=FAILED&state=KILLED&labels=env%3Aprod&timeRange=PT1H&page=3';
    const filters = filtersFromParams(new URLSearchParams(text));
    expect(filters).toEqual({
      namespace: 'company.team',
      flowId: 'greet',
      states: ['FAILED', 'KILLED'],
      labels: ['env:prod'],
      timeRange: 'PT1H',
      page: 3,
    });
    expect(paramsFromFilters(filters).toString()).toBe(text);
  });

  it('drops unknown states, malformed labels and bad page numbers', () => {
    const f = filtersFromParams(
      new URLSearchParams('state=NOPE&state=RUNNING&labels=novalue&labels=a:b&page=-2'),
    );
    expect(f.states).toEqual(['RUNNING']);
    expect(f.labels).toEqual(['a:b']);
    expect(f.page).toBe(1);
    expect(paramsFromFilters({ ...f, page: 1 }).toString()).toBe('state=RUNNING&labels=a%3Ab');
  });

  it('gives the API query without paging and without empty filters', () => {
    const f = filtersFromParams(new URLSearchParams('flowId=x&page=2'));
    expect(apiQuery(f)).toEqual({
      namespace: undefined,
      flowId: 'x',
      state: undefined,
      labels: undefined,
      timeRange: undefined,
    });
  });

  it('reads labels typed with commas or spaces, keeping the malformed ones apart', () => {
    expect(parseLabelText('env:prod, team:data  oops  :x')).toEqual({
      labels: ['env:prod', 'team:data'],
      invalid: ['oops', ':x'],
    });
  });
});
