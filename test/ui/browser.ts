/**
 * The web UI end to end: Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it) driven by
 * playwright-core, against `baton server` as users run it. Without a browser the tests are skipped with
 * one line saying so. The UI is built first when `ui/dist` is missing or older than its sources.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

const root = new URL('../..', import.meta.url).pathname;

/** The browser: `BATON_CHROMIUM`, else Debian's. */
export const CHROMIUM = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser)
  console.warn(`web UI end-to-end tests skipped: no browser at ${CHROMIUM} (apt-get install chromium)`);

/** Screenshots of each page, to look at (git-ignored). */
export const SCREENSHOTS = join(root, 'test-results', 'ui');

const newest = (path: string): number => {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
};

/** Builds ui/dist unless it is newer than every source of the UI. */
export const ensureUiBuilt = (): void => {
  const built = join(root, 'ui', 'dist', 'index.html');
  const sources = Math.max(
    newest(join(root, 'ui', 'src')),
    newest(join(root, 'ui', 'index.html')),
    newest(join(root, 'ui', 'vite.config.ts')),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'ui/vite.config.ts',
      '--logLevel',
      'error',
    ],
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (r.status !== 0) throw new Error(`building the web UI failed:\n${r.stderr}${r.stdout}`);
};

export const launch = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As root (CI), Chromium refuses to start with its sandbox.
    args: ['--no-sandbox'],
  });

/** Problems a page reported: script errors, failed loads, CSP refusals (console errors). */
export const watchProblems = (page: Page): string[] => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A refused request (a wrong password's 401) is the app's business, logged by the browser itself.
    if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return problems;
};

export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
};

/** A page of its own (own session storage), at the size the UI is made for, allowed to use the clipboard. */
export const newPage = async (browser: Browser): Promise<Page> => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  // Under the test's own time limit: a missing element is reported by name, not as a time-out.
  page.setDefaultTimeout(15_000);
  return page;
};

/**
 * Replaces the Monaco editor's text by pasting, as a user would: typed text would be re-indented by
 * the editor line by line.
 */
export const replaceEditorText = async (page: Page, text: string): Promise<void> => {
  const lines = page.locator('.monaco-editor .view-lines').first();
  const firstLine = text.split('\n')[0] ?? '';
  // A paste is sometimes dropped (seen in CI: the editor kept only what was typed next), so the editor
  // is read back and the paste done again until its first line is there.
  for (let attempt = 1; ; attempt++) {
    // Evaluated in the page (DOM types are not in this Node project's TypeScript libraries).
    await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
    await lines.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('ControlOrMeta+V');
    const shown = ((await lines.textContent()) ?? '').replaceAll('\u00a0', ' ');
    if (shown.includes(firstLine) || attempt === 3) return;
  }
};

/** The page's navigation timing: when its DOM became interactive and when it finished loading (ms). */
export const navigationTiming = async (
  page: Page,
): Promise<{ domInteractive: number; loadEventEnd: number }> =>
  JSON.parse(String(await page.evaluate(`JSON.stringify(performance.getEntriesByType('navigation')[0])`)));

export const signIn = async (page: Page, url: string, user: string, password: string): Promise<void> => {
  await page.goto(`${url}/`);
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /^Flows/ }).waitFor();
};
