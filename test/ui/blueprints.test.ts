/**
 * Every blueprint of the web UI (ui/src/blueprints/flows/*.yaml) is a valid flow for Baton's own
 * validator (the one `baton validate` and the server use), carries the title and tags lines the
 * blueprints page reads, and has a flow id of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFlowError, loadFlowSource } from '../../src/flow/index.ts';

const dir = new URL('../../ui/src/blueprints/flows/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('blueprints', () => {
  it('has a dozen of them, each with its own flow id', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    const ids = files.map((f) => /^id:\s*(\S+)/m.exec(readFileSync(join(dir, f), 'utf8'))?.[1]);
    expect(new Set(ids).size).toBe(files.length);
  });

  it.each(files)('%s is a valid flow with a title and tags', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const { flow, errors } = loadFlowSource(source, file);
    expect(errors.map((e) => formatFlowError(e))).toEqual([]);
    expect(flow?.description).toBeTruthy();
    expect(source).toMatch(/^# title: \S.*$/m);
    expect(source).toMatch(/^# tags: \S.*$/m);
  });
});
