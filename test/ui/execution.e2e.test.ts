/**
 * The execution page in a real browser against the built server: read a run's logs (level filter,
 * search) and outputs (a file previewed), restart a failed run from its failed task once the cause is
 * fixed (a KV key it reads), edit labels, set a task run's state, replay from a task run, approve a
 * paused run through its approval form (Pause `onResume` inputs) and see it finish, pause, resume
 * and kill a running one; a viewer sees no action. Screenshots of the page, light and dark, go to
 * test-results/ui/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiExecution, waitForState } from '../helpers/api.ts';
import { ADMIN, startServer, type TestServer } from '../helpers/server.ts';
import { ensureUiBuilt, hasBrowser, launch, newPage, screenshot, signIn, watchProblems } from './browser.ts';

const NS = 'company.ops';

const FLOWS = [
  `id: report
namespace: ${NS}
tasks:
  - id: start
    type: io.kestra.plugin.core.log.Log
    level: DEBUG
    message: "connecting to the warehouse"
  - id: count
    type: io.kestra.plugin.core.log.Log
    message: ["counted 42 rows", "counted 7 tables"]
  - id: slow
    type: io.kestra.plugin.core.log.Log
    level: WARN
    message: "the warehouse answered slowly"
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: "name,rows\\nsales,42\\n"
    extension: .csv
`,
  // Fails until the key \`ready\` exists: restarted once it is set, it succeeds from the failed task.
  `id: flaky
namespace: ${NS}
tasks:
  - id: before
    type: io.kestra.plugin.core.log.Log
    message: "before the check"
  - id: check
    type: io.kestra.plugin.core.kv.Get
    key: ready
    errorOnMissing: true
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "ready is {{ outputs.check.value }}"
`,
  `id: approval
namespace: ${NS}
tasks:
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOLEAN
        defaults: false
      - id: reason
        type: STRING
        description: Why it may go on
  - id: decision
    type: io.kestra.plugin.core.log.Log
    message: "approved={{ outputs.approve.onResume.approved }} because {{ outputs.approve.onResume.reason }}"
`,
  `id: sleeper
namespace: ${NS}
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT5M
`,
];

describe.skipIf(!hasBrowser)('web UI execution page, end to end', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  const run = async (flowId: string): Promise<ApiExecution> => {
    const res = await server.request(`/api/v1/executions/${NS}/${flowId}`, { method: 'POST' });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as ApiExecution;
  };
  const open = async (e: ApiExecution) => {
    await page.goto(`${server.url}/ui/executions/${NS}/${e.flowId}/${e.id}`);
    await page.getByRole('tab', { name: 'Task runs' }).waitFor();
  };
  const headState = (state: string) => page.locator(`.page-head [data-state="${state}"]`);
  const ended = (e: ApiExecution) => ['SUCCESS', 'FAILED', 'KILLED', 'WARNING'].includes(e.state.current);

  beforeAll(async () => {
    ensureUiBuilt();
    server = await startServer();
    for (const source of FLOWS) {
      const res = await server.request('/api/v1/flows', {
        method: 'POST',
        body: source,
        headers: { 'content-type': 'application/x-yaml' },
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    browser = await launch();
    page = await newPage(browser);
    problems = watchProblems(page);
    await signIn(page, server.url, ADMIN.user, ADMIN.password);
  }, 180_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshot(page, `failed-${ctx.task.name.slice(0, 40)}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('reads the logs of a run, filtered by level and searched, and previews its output file', async () => {
    const e = await run('report');
    await waitForState(server, e.id, ended);
    await open(e);
    await headState('SUCCESS').waitFor();
    for (const task of ['start', 'count', 'slow', 'write'])
      await page.locator(`tr[data-task="${task}"] [data-state="SUCCESS"]`).waitFor();
    await screenshot(page, '20-execution-gantt');

    await page.getByRole('tab', { name: 'Logs' }).click();
    const log = page.getByRole('log', { name: 'Log lines' });
    await log.getByText('counted 7 tables').waitFor();
    expect(await log.locator('.log-line').count()).toBe(4);
    await page.getByLabel('Level').selectOption('WARN');
    await expect.poll(() => log.locator('.log-line').count()).toBe(1);
    await log.getByText('the warehouse answered slowly').waitFor();
    await page.getByLabel('Level').selectOption('TRACE');
    await page.getByLabel('Search').fill('COUNTED');
    await expect
      .poll(() => log.locator('.log-line').allInnerTexts())
      .toEqual([expect.stringContaining('counted 42 rows'), expect.stringContaining('counted 7 tables')]);
    await page.getByRole('status').filter({ hasText: '2 of 4 lines' }).waitFor();
    await screenshot(page, '21-execution-logs');

    // Keyboard: from the tab list, the arrow keys reach the outputs.
    await page.getByRole('tab', { name: 'Logs' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Outputs' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'write' }).click();
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.file-preview', { hasText: 'sales,42' }).waitFor();
    await screenshot(page, '22-execution-outputs');
  });

  it('restarts a failed run from its failed task once the key it reads exists', async () => {
    const e = await run('flaky');
    await waitForState(server, e.id, ended);
    await open(e);
    await headState('FAILED').waitFor();
    await page.locator('tr[data-task="check"] [data-state="FAILED"]').waitFor();
    await page.locator('tr[data-task="before"] [data-state="SUCCESS"]').waitFor();
    // The topology, colored by state.
    await page.getByRole('tab', { name: 'Topology' }).click();
    await page.locator('.react-flow__node [data-state="FAILED"]', { hasText: 'check' }).waitFor();
    await screenshot(page, '23-execution-topology-failed');

    const set = await server.request(`/api/v1/namespaces/${NS}/kv/ready`, { method: 'PUT', json: 'yes' });
    expect(set.status).toBe(204);
    await page.getByRole('button', { name: 'Restart' }).click();
    await headState('SUCCESS').waitFor({ timeout: 20_000 });
    await page.locator('.react-flow__node [data-state="SUCCESS"]', { hasText: 'after' }).waitFor();
    await page.getByRole('tab', { name: 'Task runs' }).click();
    await page.locator('tr[data-task="after"] [data-state="SUCCESS"]').waitFor();

    const done = (await (await server.request(`/api/v1/executions/${e.id}`)).json()) as ApiExecution;
    const check = done.taskRunList.find((t) => t.taskId === 'check')!;
    const before = done.taskRunList.find((t) => t.taskId === 'before')!;
    // From the failed task: the check ran again (a second attempt), the task before it did not.
    expect(check.attempts.map((a) => a.state.current)).toEqual(['FAILED', 'SUCCESS']);
    expect(before.attempts).toHaveLength(1);
    await page.locator('tr[data-task="check"]').click();
    await page.getByRole('list', { name: 'Attempts' }).getByText('attempt 2').waitFor();
    await screenshot(page, '24-execution-restarted');
  });

  it('edits the labels of an ended run, sets a task run state, and replays it from a task run', async () => {
    const e = await run('flaky');
    await waitForState(server, e.id, ended);
    await open(e);
    await headState('SUCCESS').waitFor();
    await page.getByRole('button', { name: 'Edit labels' }).click();
    const labels = page.getByRole('form', { name: 'Edit labels' });
    await labels.getByRole('button', { name: 'Add a label' }).click();
    await labels.getByLabel('Key 1').fill('team');
    await labels.getByLabel('Value 1').fill('data');
    await labels.getByRole('button', { name: 'Save labels' }).click();
    await page.locator('.kv .tag', { hasText: 'team: data' }).waitFor();
    const labelled = (await (await server.request(`/api/v1/executions/${e.id}`)).json()) as ApiExecution;
    expect(labelled.labels).toContainEqual({ key: 'team', value: 'data' });

    // A task run's state, changed by hand: the execution follows it.
    await page.locator('tr[data-task="after"]').click();
    await page.getByLabel('Set state').selectOption('WARNING');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('tr[data-task="after"] [data-state="WARNING"]').waitFor();
    await headState('WARNING').waitFor();

    await page.locator('tr[data-task="check"]').click();
    await page.getByRole('button', { name: 'Replay from here' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith(e.id));
    const copyId = page.url().split('/').at(-1)!;
    await headState('SUCCESS').waitFor({ timeout: 20_000 });
    const copy = (await (await server.request(`/api/v1/executions/${copyId}`)).json()) as ApiExecution;
    expect(copy.originalId).toBe(e.id);
    expect(copy.taskRunList.map((t) => t.taskId)).toEqual(['before', 'check', 'after']);
  });

  it('approves a paused run through its approval form and sees it finish', async () => {
    const e = await run('approval');
    await waitForState(server, e.id, (x) => x.state.current === 'PAUSED');
    await open(e);
    await headState('PAUSED').waitFor();
    await page.getByRole('button', { name: 'Resume…' }).click();
    const form = page.getByRole('form', { name: 'Resume the execution' });
    await form.getByLabel(/^approved/).check();
    await form.getByLabel(/^reason/).fill('numbers checked');
    await screenshot(page, '25-execution-approval');
    await form.getByRole('button', { name: 'Approve' }).click();
    await headState('SUCCESS').waitFor({ timeout: 20_000 });
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByRole('log').getByText('approved=true because numbers checked').waitFor();
  });

  it('pauses a running run, resumes it (no input asked), then kills it', async () => {
    const e = await run('sleeper');
    await waitForState(server, e.id, (x) => x.taskRunList.some((t) => t.state.current === 'RUNNING'));
    await open(e);
    await headState('RUNNING').waitFor();
    await page.locator('tr[data-task="nap"]').click();
    await screenshot(page, '26-execution-running-light');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await screenshot(page, '27-execution-running-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await page.getByRole('button', { name: 'Pause' }).click();
    await headState('PAUSED').waitFor();
    await page.getByRole('button', { name: 'Resume…' }).click();
    const form = page.getByRole('form', { name: 'Resume the execution' });
    await form.getByText('The paused tasks ask for no input.').waitFor();
    await form.getByRole('button', { name: 'Resume' }).click();
    await headState('RUNNING').waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Kill' }).click();
    await headState('KILLED').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: 'Kill' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Restart' }).waitFor();
  });

  it('shows a viewer the execution without any action', async () => {
    const created = await server.request('/api/v1/users', {
      method: 'POST',
      json: { name: 'vic', password: 'viewer-password-2', bindings: [{ role: 'viewer', namespace: '*' }] },
    });
    expect(created.status).toBe(201);
    const e = await run('sleeper');
    await waitForState(server, e.id, (x) => x.state.current === 'RUNNING');
    const viewer = await newPage(browser);
    await signIn(viewer, server.url, 'vic', 'viewer-password-2');
    await viewer.goto(`${server.url}/ui/executions/${NS}/sleeper/${e.id}`);
    await viewer.locator('.page-head [data-state="RUNNING"]').waitFor();
    await viewer.locator('tr[data-task="nap"]').click();
    await viewer.getByRole('button', { name: 'Logs of this task run' }).waitFor();
    for (const name of ['Kill', 'Pause', 'Restart', 'Replay from here', 'Apply'])
      expect(await viewer.getByRole('button', { name }).count()).toBe(0);
    await viewer.context().close();
    await server.request(`/api/v1/executions/${e.id}/kill`, { method: 'DELETE' });
  });

  it('reported no script error and no refused resource (CSP)', () => {
    expect(problems).toEqual([]);
  });
});
