/**
 * The operations pages in a real browser against the built server: the executions list filtered (the
 * filters land in the URL), two running executions killed at once, a failed one restarted; a schedule
 * disabled and enabled again, then backfilled (its executions appear in the list, with the backfill's
 * label); a KV entry added, edited to another type and deleted; a namespace file uploaded and viewed;
 * secret names shown without their values; a viewer sees none of the actions. Screenshots of each page
 * go to test-results/ui/ (ops-*.png).
 */
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiExecution, dataDirWithFlows, waitForState } from '../helpers/api.ts';
import { ADMIN, startServer, type TestServer } from '../helpers/server.ts';
import { ensureUiBuilt, hasBrowser, launch, newPage, screenshot, signIn, watchProblems } from './browser.ts';

const NS = 'ops.team';
const FLOWS = [
  `id: sleeper
namespace: ${NS}
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT120S
`,
  `id: failing
namespace: ${NS}
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: "it broke"
`,
  `id: nightly
namespace: ${NS}
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "tick {{ trigger.date }}"
triggers:
  - id: hourly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 * * * *"
`,
];
const VIEWER = {
  name: 'vic',
  password: 'viewer-password-1',
  bindings: [{ role: 'viewer' as const, namespace: '*' }],
};
const SECRET_VALUE = 'hunter2-never-shown';

/** A `datetime-local` value (the browser and this process share the machine's time zone). */
const localInput = (ms: number): string => {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

describe.skipIf(!hasBrowser)('web UI operations pages, end to end', () => {
  let server: TestServer;
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ensureUiBuilt();
    dataDir = await dataDirWithFlows(FLOWS, [VIEWER]);
    server = await startServer({ dataDir, env: { BATON_SECRET_DB_PASSWORD: SECRET_VALUE } });
    browser = await launch();
    page = await newPage(browser);
    problems = watchProblems(page);
    await signIn(page, server.url, ADMIN.user, ADMIN.password);
  }, 180_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshot(page, `failed-ops-${ctx.task.name.slice(0, 40)}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server
      ?.request(`/api/v1/executions/kill/by-query?namespace=${NS}`, { method: 'DELETE' })
      .catch(() => undefined);
    await server?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const run = async (flowId: string, query = '') => {
    const res = await server.request(`/api/v1/executions/${NS}/${flowId}${query}`, { method: 'POST' });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as ApiExecution;
  };
  const rows = () => page.locator('table[aria-label="Executions"] tbody tr');
  const confirm = async (name: string) => {
    await page.getByRole('dialog').getByRole('button', { name, exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  };

  it('filters executions, the filters kept in the URL', async () => {
    const sleepers = [await run('sleeper', '?labels=batch:e2e'), await run('sleeper', '?labels=batch:e2e')];
    await run('failing', '?wait=true');
    for (const e of sleepers) await waitForState(server, e.id, (x) => x.state.current === 'RUNNING');

    await page.getByRole('link', { name: 'Executions', exact: true }).click();
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    await rows().nth(2).waitFor();
    await screenshot(page, 'ops-01-executions');

    await page.getByLabel('Flow', { exact: true }).fill('sleeper');
    await page.getByLabel('Labels').fill('batch:e2e');
    await page.getByRole('checkbox', { name: 'RUNNING' }).check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/flowId=sleeper/);
    expect(new URL(page.url()).searchParams.getAll('state')).toEqual(['RUNNING']);
    expect(new URL(page.url()).searchParams.getAll('labels')).toEqual(['batch:e2e']);
    await expect.poll(() => rows().count()).toBe(2);
    await expect.poll(() => rows().filter({ hasText: 'failing' }).count()).toBe(0);

    // A malformed label is refused next to the field, nothing is searched.
    await page.getByLabel('Labels').fill('nocolon');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not key:value: nocolon' }).waitFor();
    await screenshot(page, 'ops-02-executions-filtered');
  });

  it('kills two running executions at once', async () => {
    // The list still filtered on the running sleepers.
    await page.getByRole('checkbox', { name: 'Select every execution of this page' }).check();
    await page.getByRole('button', { name: 'Kill selected' }).click();
    await page.getByRole('dialog').getByText('the 2 selected executions').waitFor();
    await screenshot(page, 'ops-03-kill-confirm');
    await confirm('Kill');
    await page.getByRole('status').filter({ hasText: 'Killed 2 executions.' }).waitFor();
    const killed = (await (
      await server.request(
        `/api/v1/executions/search?namespace=${NS}&flowId=sleeper&labels=batch:e2e&state=KILLED`,
      )
    ).json()) as { total: number };
    expect(killed.total).toBe(2);
    // Filtered on RUNNING, the list empties once they are killed.
    await page.getByText('No execution matches these filters.').waitFor();

    // Every execution matching the filters, without selecting them.
    const other = await run('sleeper', '?labels=batch:all');
    await waitForState(server, other.id, (x) => x.state.current === 'RUNNING');
    await page.goto(`${server.url}/ui/executions?flowId=sleeper&labels=batch%3Aall`);
    await expect.poll(() => rows().count()).toBe(1);
    await page.getByRole('button', { name: 'Kill all matching' }).click();
    await confirm('Kill');
    await page.getByRole('status').filter({ hasText: 'Killed 1 execution.' }).waitFor();
    expect((await waitForState(server, other.id, (x) => x.state.current === 'KILLED')).state.current).toBe(
      'KILLED',
    );
  });

  it('restarts a failed execution from the list', async () => {
    await page.goto(`${server.url}/ui/executions?flowId=failing&state=FAILED`);
    await expect.poll(() => rows().count()).toBe(1);
    const id = (await rows().first().getByRole('link').getAttribute('title'))!;
    await page.getByRole('checkbox', { name: `Select execution ${id}` }).check();
    await page.getByRole('button', { name: 'Restart selected' }).click();
    await confirm('Restart');
    await page.getByRole('status').filter({ hasText: 'Restarted 1 execution.' }).waitFor();
    const again = await waitForState(
      server,
      id,
      (e) => e.state.current === 'FAILED' && e.taskRunList[0]!.attempts.length === 2,
    );
    expect(again.state.histories.map((h) => h.state)).toContain('RESTARTED');
    await screenshot(page, 'ops-04-restarted');
  });

  it('disables and enables a trigger', async () => {
    await page.getByRole('link', { name: 'Triggers', exact: true }).click();
    const row = page.locator('tr[data-trigger="ops.team.nightly.hourly"]');
    await row.getByText('enabled', { exact: true }).waitFor();
    await screenshot(page, 'ops-05-triggers');
    await row.getByRole('button', { name: 'Disable ops.team.nightly.hourly' }).click();
    await row.getByText('disabled', { exact: true }).waitFor();
    const state = async () =>
      (
        (await (await server.request(`/api/v1/triggers/${NS}/nightly`)).json()) as {
          results: { disabled: boolean }[];
        }
      ).results[0]!.disabled;
    expect(await state()).toBe(true);
    await row.getByRole('button', { name: 'Enable ops.team.nightly.hourly' }).click();
    await row.getByText('enabled', { exact: true }).waitFor();
    expect(await state()).toBe(false);
  });

  it('backfills a schedule: one execution per past tick appears in the list', async () => {
    // Just after the top of the hour three hours back: the ticks are then exactly the last three hours.
    const hour = 3_600_000;
    const start = Math.floor(Date.now() / hour) * hour - 3 * hour + 60_000;
    const row = page.locator('tr[data-trigger="ops.team.nightly.hourly"]');
    await row.getByRole('button', { name: 'Backfill ops.team.nightly.hourly' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Start').fill(localInput(start));
    await dialog.getByLabel('Labels').fill('source:backfill');
    await screenshot(page, 'ops-06-backfill');
    await dialog.getByRole('button', { name: 'Start backfill' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Backfill of ops.team.nightly.hourly started.' })
      .waitFor();

    await page.goto(`${server.url}/ui/executions?flowId=nightly&labels=source%3Abackfill`);
    // The scheduler replays a tick per cycle; the list reads itself again every few seconds.
    await rows().nth(2).waitFor({ timeout: 30_000 });
    await expect.poll(() => rows().filter({ hasText: 'SUCCESS' }).count(), { timeout: 30_000 }).toBe(3);
    expect(await rows().count()).toBe(3);
    await screenshot(page, 'ops-07-backfilled');
  });

  it('adds, edits and deletes a KV entry', async () => {
    await page.getByRole('link', { name: 'Namespaces', exact: true }).click();
    await page
      .getByRole('table', { name: 'Namespaces' })
      .getByRole('link', { name: NS, exact: true })
      .click();
    await page.getByRole('tab', { name: 'KV store' }).waitFor();
    await page.getByRole('button', { name: 'Add entry' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Key').fill('threshold');
    await dialog.getByLabel('Type').selectOption('NUMBER');
    await dialog.getByLabel('Value').fill('forty');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Not a number' }).waitFor();
    await dialog.getByLabel('Value').fill('42');
    await dialog.getByLabel('Time to live').fill('P7D');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const row = page.locator('tr[data-key="threshold"]');
    await row.getByText('NUMBER').waitFor();
    const kv = async () => (await server.request(`/api/v1/namespaces/${NS}/kv/threshold`)).json();
    expect(await kv()).toEqual({ type: 'NUMBER', value: 42 });
    expect(await row.textContent()).not.toContain('never');
    await screenshot(page, 'ops-08-kv');

    await row.getByRole('button', { name: 'Edit threshold' }).click();
    await dialog.getByLabel('Type').selectOption('JSON');
    await dialog.getByLabel('Value').fill('{"low": 1, "high": 9}');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row.getByText('JSON').waitFor();
    expect(await kv()).toEqual({ type: 'JSON', value: { low: 1, high: 9 } });

    await row.getByRole('button', { name: 'Delete threshold' }).click();
    await confirm('Delete');
    await row.waitFor({ state: 'detached' });
    expect((await server.request(`/api/v1/namespaces/${NS}/kv/threshold`)).status).toBe(404);
  });

  it('shows secret names only, and uploads and views a namespace file', async () => {
    await page.getByRole('tab', { name: 'KV store' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('table', { name: 'Secrets' }).getByText('DB_PASSWORD').waitFor();
    expect(await page.content()).not.toContain(SECRET_VALUE);
    await screenshot(page, 'ops-09-secrets');

    await page.keyboard.press('ArrowRight');
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'hello.sql',
      mimeType: 'text/plain',
      buffer: Buffer.from('select 1;'),
    });
    await page.getByLabel(/^Name in/).fill('queries/hello.sql');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('button', { name: '📁 queries/' }).click();
    await page.getByRole('button', { name: 'hello.sql', exact: true }).click();
    await page.getByRole('dialog').getByText('select 1;').waitFor();
    await screenshot(page, 'ops-10-files');
    await page.keyboard.press('Escape');
    const read = await server.request(`/api/v1/namespaces/${NS}/files?path=/queries/hello.sql`);
    expect(await read.text()).toBe('select 1;');
  });

  it('looks right in the dark theme', async () => {
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await page.goto(`${server.url}/ui/executions`);
    await rows().first().waitFor();
    await screenshot(page, 'ops-11-executions-dark');
    await page.goto(`${server.url}/ui/triggers`);
    await page.locator('tr[data-trigger="ops.team.nightly.hourly"]').waitFor();
    await screenshot(page, 'ops-12-triggers-dark');
    await page.getByRole('button', { name: /Switch to light theme/ }).click();
  });

  it('shows a viewer no action', async () => {
    const viewer = await newPage(browser);
    const viewerProblems = watchProblems(viewer);
    await signIn(viewer, server.url, VIEWER.name, VIEWER.password);
    await viewer.goto(`${server.url}/ui/executions`);
    await viewer.locator('table[aria-label="Executions"] tbody tr').first().waitFor();
    expect(await viewer.getByRole('toolbar', { name: 'Bulk actions' }).count()).toBe(0);
    expect(await viewer.getByRole('checkbox', { name: /^Select execution/ }).count()).toBe(0);
    await viewer.goto(`${server.url}/ui/triggers`);
    await viewer.locator('tr[data-trigger="ops.team.nightly.hourly"]').waitFor();
    expect(await viewer.getByRole('button', { name: /^(Disable|Enable|Backfill|Unlock) / }).count()).toBe(0);
    await viewer.goto(`${server.url}/ui/namespaces/${NS}?tab=kv`);
    await viewer.getByRole('tab', { name: 'KV store' }).waitFor();
    await viewer.getByText(/No KV entries/).waitFor();
    expect(await viewer.getByRole('button', { name: 'Add entry' }).count()).toBe(0);
    await viewer.goto(`${server.url}/ui/namespaces/${NS}?tab=files`);
    await viewer.getByRole('button', { name: '📁 queries/' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Upload' }).count()).toBe(0);
    expect(viewerProblems).toEqual([]);
    await viewer.context().close();
  });

  it('reported no script errors', () => {
    expect(problems).toEqual([]);
  });
});
