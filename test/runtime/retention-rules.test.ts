/** Retention rules: start-up validation of the options, and which executions each rule purges. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import {
  auditBefore,
  executionScopes,
  parseRetention,
  retentionOn,
} from '../../src/runtime/retention-rules.ts';

const H = 3_600_000;
const D = 24 * H;

describe('retention options', () => {
  it('reads ISO-8601 durations and the short forms', () => {
    const c = parseRetention({
      retention: '30d',
      namespaces: ['company.team=12h', 'a=90m', 'b=45s', 'c=PT1H', 'd=P2DT1H'],
      audit: 'P30D',
    });
    expect(c).toEqual({
      executionsMs: 30 * D,
      namespaces: [
        { namespace: 'company.team', ageMs: 12 * H },
        { namespace: 'a', ageMs: 90 * 60_000 },
        { namespace: 'b', ageMs: 45_000 },
        { namespace: 'c', ageMs: H },
        { namespace: 'd', ageMs: 2 * D + H },
      ],
      auditMs: 30 * D,
    });
    expect(retentionOn(c)).toBe(true);
  });

  it('is off by default: nothing given, nothing purged', () => {
    const c = parseRetention({});
    expect(retentionOn(c)).toBe(false);
    expect(executionScopes(c, Date.now())).toEqual([]);
    expect(auditBefore(c, Date.now())).toBeUndefined();
  });

  it.each([
    [{ retention: '30' }, /--retention '30' is not a duration/],
    [{ retention: '0d' }, /--retention '0d'/],
    [{ retention: '-P1D' }, /--retention '-P1D'/],
    [{ retention: 'soon' }, /such as 30d, 12h, 90m, 45s, P30D or PT1H/],
    [{ audit: '3y' }, /--audit-retention '3y'/],
    [{ namespaces: ['company'] }, /must be written NAMESPACE=AGE/],
    [{ namespaces: ['=7d'] }, /must be written NAMESPACE=AGE/],
    [{ namespaces: ['bad ns=7d'] }, /must be written NAMESPACE=AGE/],
    [{ namespaces: ['a=7x'] }, /--retention-ns a '7x'/],
    [{ namespaces: ['a=7d', 'a=8d'] }, /'a' is given twice/],
  ])('refuses %j with a clear usage error', (input, message) => {
    expect(() => parseRetention(input)).toThrow(UsageError);
    expect(() => parseRetention(input)).toThrow(message);
  });
});

describe('retention scopes', () => {
  const now = Date.parse('2026-06-01T00:00:00.000Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();

  it('the most specific namespace rule wins; the global rule governs the rest', () => {
    const c = parseRetention({
      retention: '30d',
      namespaces: ['company=7d', 'company.team.keep=365d', 'other=1d'],
    });
    expect(executionScopes(c, now)).toEqual([
      { endedBefore: ago(7 * D), namespace: 'company', except: ['company.team.keep'] },
      { endedBefore: ago(365 * D), namespace: 'company.team.keep', except: [] },
      { endedBefore: ago(D), namespace: 'other', except: [] },
      { endedBefore: ago(30 * D), except: ['company', 'company.team.keep', 'other'] },
    ]);
  });

  it('namespace rules alone purge only their namespaces; the audit age alone only the audit log', () => {
    expect(executionScopes(parseRetention({ namespaces: ['ci=2h'] }), now)).toEqual([
      { endedBefore: ago(2 * H), namespace: 'ci', except: [] },
    ]);
    const audit = parseRetention({ audit: '90d' });
    expect(executionScopes(audit, now)).toEqual([]);
    expect(auditBefore(audit, now)).toBe(ago(90 * D));
  });

  it('a namespace that only starts like another is not below it', () => {
    const c = parseRetention({ namespaces: ['company=7d', 'companyx=1d'] });
    expect(executionScopes(c, now)[0]).toMatchObject({ namespace: 'company', except: [] });
  });
});
