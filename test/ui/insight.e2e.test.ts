/**
 * The dashboard, administration, blueprints and expression completion in a real browser against the
 * built server: use a blueprint and save it; run flows and see the dashboard's charts, set a flow's
 * minutes saved; completion for `{{ inputs.` and the task form editing the YAML; an admin creates a viewer (and a token for them); the
 * viewer signs in and sees no edit, save, use or admin action; the audit log shows what was done.
 * Screenshots go to test-results/ui/ (insight-*.png).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startServer, type TestServer } from '../helpers/server.ts';
import {
  ensureUiBuilt,
  hasBrowser,
  launch,
  newPage,
  replaceEditorText,
  screenshot,
  signIn,
  watchProblems,
} from './browser.ts';

const FAILING = `id: flaky
namespace: company.blueprints
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
`;

describe.skipIf(!hasBrowser)('web UI: dashboards, administration, blueprints, completion', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ensureUiBuilt();
    server = await startServer();
    browser = await launch();
    page = await newPage(browser);
    problems = watchProblems(page);
    // Leaving the editor with unsaved text asks first: the tests say yes.
    page.on('dialog', (d) => void d.accept());
    await signIn(page, server.url, ADMIN.user, ADMIN.password);
  }, 180_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await screenshot(page, `insight-failed-${ctx.task.name.slice(0, 30)}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('finds a blueprint by search and tag, uses it, and saves it as a flow', async () => {
    await page.getByRole('link', { name: 'Blueprints', exact: true }).click();
    const list = page.getByRole('list', { name: 'Blueprints' });
    await list.getByRole('listitem').nth(11).waitFor();
    await screenshot(page, 'insight-01-blueprints');
    await page.getByRole('button', { name: 'amqp', exact: true }).click();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    await page.getByRole('button', { name: 'all', exact: true }).click();
    await page.getByLabel('Search blueprints').fill('fan-out');
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);

    await page.getByRole('button', { name: 'Use ForEach fan-out' }).click();
    await page.waitForURL(/\/ui\/flows\/new/);
    await page.locator('[data-testid="flow-graph"]').waitFor();
    await page.locator('.react-flow__node', { hasText: 'each_region' }).waitFor();
    await screenshot(page, 'insight-02-blueprint-in-editor');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`${server.url}/ui/flows/edit/company.blueprints/foreach_fan_out`);
    const saved = (await (
      await server.request('/api/v1/flows/company.blueprints/foreach_fan_out?source=true')
    ).json()) as { source: string };
    expect(saved.source).toContain('concurrencyLimit: 2');
    expect(saved.source).not.toContain('# title:');
  });

  it('shows the charts after a few runs, and sets the minutes a run saves', async () => {
    const created = await server.request('/api/v1/flows', {
      method: 'POST',
      body: FAILING,
      headers: { 'content-type': 'application/x-yaml' },
    });
    expect(created.status).toBe(200);
    for (const flow of ['foreach_fan_out', 'foreach_fan_out', 'foreach_fan_out', 'flaky']) {
      const res = await server.request(`/api/v1/executions/company.blueprints/${flow}?wait=true`, {
        method: 'POST',
      });
      expect(res.status).toBe(200);
    }
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.getByTestId('total-runs').filter({ hasText: '4' }).waitFor();
    const daily = page.getByTestId('chart-daily');
    await daily.locator('rect.state-SUCCESS').first().waitFor();
    await daily.locator('rect.state-FAILED').first().waitFor();
    await page.getByRole('img', { name: /: 4 runs, 3 SUCCESS, 1 FAILED$/ }).waitFor();
    await page
      .getByTestId('chart-failure-rate')
      .getByRole('img', { name: /25% failed/ })
      .waitFor();
    await page
      .getByTestId('chart-durations')
      .getByRole('img', { name: /foreach_fan_out: p50 .+, p95 / })
      .waitFor();

    await page.getByLabel('Minutes saved per run of foreach_fan_out').fill('5');
    await page
      .getByRole('row', { name: /foreach_fan_out/ })
      .getByRole('button', { name: 'Set' })
      .click();
    await page.getByTestId('time-saved').filter({ hasText: '15 min' }).waitFor();
    await page
      .getByTestId('chart-time-saved')
      .getByRole('img', { name: /foreach_fan_out: saved 15 min/ })
      .waitFor();
    const flow = (await (
      await server.request('/api/v1/flows/company.blueprints/foreach_fan_out?source=true')
    ).json()) as { source: string; revision: number };
    expect(flow.source).toContain('baton.io/minutes-saved: "5"');
    expect(flow.revision).toBe(2);
    await screenshot(page, 'insight-03-dashboard');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await screenshot(page, 'insight-04-dashboard-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
  });

  it('completes input ids after {{ inputs. in the editor', async () => {
    await page.getByRole('link', { name: 'Flows', exact: true }).click();
    await page.getByRole('link', { name: 'New flow' }).click();
    await page.locator('.monaco-editor').waitFor();
    await replaceEditorText(
      page,
      'id: typed\nnamespace: company.team\ninputs:\n  - id: customer\n    type: STRING\n  - id: amount\n    type: INT\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ inputs',
    );
    await page.keyboard.type('.');
    const suggest = page.locator('.suggest-widget.visible');
    // The completion provider registers once the editor's YAML support has loaded: a '.' typed before
    // that opens nothing, as for a user, who then asks with Ctrl+Space.
    const shown = await suggest
      .getByText('customer')
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (!shown) await page.keyboard.press('Control+Space');
    await suggest.getByText('customer').waitFor();
    await suggest.getByText('amount').waitFor();
    await screenshot(page, 'insight-05-completion');
    await page.keyboard.press('Enter');
    await page.locator('.view-lines', { hasText: 'inputs.customer' }).waitFor();

    // The no-code form follows the cursor into the task; a change there is written into the YAML.
    await replaceEditorText(
      page,
      'id: typed\nnamespace: company.team\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ inputs.customer }}"\n',
    );
    await page.locator('.view-line', { hasText: 'core.log.Log' }).click();
    const form = page.getByRole('form', { name: 'Task hello' });
    await form.getByLabel('level', { exact: true }).selectOption('WARN');
    await page.locator('.view-lines', { hasText: 'level: WARN' }).waitFor();
    await screenshot(page, 'insight-05b-task-form');
  });

  it('creates a viewer user with a token from the administration page', async () => {
    await page.getByRole('link', { name: 'Administration', exact: true }).click();
    const form = page.getByRole('form', { name: 'Create a user' });
    await form.getByLabel('Name').fill('victor');
    await form.getByLabel('Password').fill('viewer-password-2');
    await form.getByLabel('Roles').fill('viewer *');
    await form.getByRole('button', { name: 'Create user' }).click();
    const row = page.getByRole('row', { name: /victor/ });
    await row.getByText('viewer everywhere').waitFor();

    await row.getByRole('button', { name: 'API tokens of victor' }).click();
    const dialog = page.getByRole('dialog', { name: 'API tokens of victor' });
    await dialog.getByLabel('Token name').fill('ci');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const secret = (await dialog.getByTestId('token-secret').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await dialog.getByRole('row', { name: /^ci / }).waitFor();
    const me = await server.request('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } });
    expect(((await me.json()) as { name: string }).name).toBe('victor');
    await screenshot(page, 'insight-06-admin-token');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Roles' }).click();
    await page.getByText(/users, API tokens and the audit log/).waitFor();
    await screenshot(page, 'insight-07-admin-roles');
  });

  it('shows the viewer no edit, save, use or admin action', async () => {
    const viewer = await newPage(browser);
    const viewerProblems = watchProblems(viewer);
    await signIn(viewer, server.url, 'victor', 'viewer-password-2');
    expect(await viewer.getByRole('link', { name: 'Administration', exact: true }).count()).toBe(0);
    await viewer.goto(`${server.url}/ui/flows/edit/company.blueprints/foreach_fan_out`);
    await viewer.locator('.monaco-editor').waitFor();
    await viewer.getByText('read-only').waitFor();
    expect(await viewer.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await viewer.getByRole('link', { name: 'Run' }).count()).toBe(0);
    await screenshot(viewer, 'insight-08-viewer-editor');

    await viewer.getByRole('link', { name: 'Blueprints', exact: true }).click();
    await viewer.getByRole('button', { name: 'Source of Webhook' }).waitFor();
    expect(await viewer.getByRole('button', { name: /^Use / }).count()).toBe(0);
    await viewer.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await viewer.getByTestId('chart-daily').waitFor();
    expect(await viewer.getByLabel(/^Minutes saved per run/).count()).toBe(0);
    await viewer.goto(`${server.url}/ui/admin`);
    await viewer.getByRole('alert').filter({ hasText: 'admin role' }).waitFor();
    expect(viewerProblems).toEqual([]);
    await viewer.context().close();
    // A new browser profile loads the editor's Monaco chunk cold: about 15 s on a loaded 2-core machine.
  }, 90_000);

  it('shows those actions in the audit log, filtered', async () => {
    await page.getByRole('tab', { name: 'Audit log' }).click();
    const log = page.getByRole('table', { name: 'Audit log' });
    await log.locator('tr[data-action="token.create"]').first().waitFor();
    const filters = page.getByRole('form', { name: 'Filter the audit log' });
    await filters.getByLabel('Action').fill('user');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await log.locator('tr[data-action="user.create"]', { hasText: 'victor' }).waitFor();
    await expect.poll(() => log.locator('tr[data-action^="flow"]').count()).toBe(0);

    await filters.getByLabel('Action').fill('flow');
    await filters.getByLabel('User').fill(ADMIN.user);
    await filters.getByLabel('Namespace').fill('company.blueprints');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await log.locator('tr[data-action="flow.create"]', { hasText: 'foreach_fan_out' }).first().waitFor();
    await log.locator('tr[data-action="flow.update"]').first().waitFor();
    await screenshot(page, 'insight-09-audit');
  });

  it('reported no script error and no refused resource (CSP) on any page', () => {
    expect(problems).toEqual([]);
  });
});
