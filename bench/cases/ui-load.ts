/**
 * i) The web UI's first load on localhost: from navigation to the login form drawn, in a new browser
 * profile each time (nothing cached), against `baton server` as users run it. Debian's Chromium through
 * playwright-core; without it the case says so and reports nothing. The goal: under 1 s.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { report, spawnServer } from './common.ts';

const CHROMIUM = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
const RUNS = 7;

if (!existsSync(CHROMIUM)) {
  report('i) web UI first load', { skipped: `no browser at ${CHROMIUM}` });
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'baton-ui-load-'));
const { child, url } = await spawnServer(dir);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
const loads: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${url}/`, { waitUntil: 'commit' });
    // Milliseconds since the navigation started, read in the page at the first frame showing the form.
    const shown = await page.waitForFunction(
      () => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
        return doc.querySelector('#login-title') && doc.querySelector('input[name=username]')
          ? performance.now()
          : 0;
      },
      undefined,
      { polling: 'raf' },
    );
    loads.push(Number(await shown.jsonValue()));
    await context.close();
  }
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
loads.sort((a, b) => a - b);
const median = loads[Math.floor(loads.length / 2)]!;
report(
  'i) web UI first load (login form drawn, cold cache)',
  { medianMs: Math.round(median), minMs: Math.round(loads[0]!), maxMs: Math.round(loads.at(-1)!) },
  '< 1000 ms',
  median < 1000,
);
