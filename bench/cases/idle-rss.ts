/** f) RSS of an idle engine (executor + worker started, nothing to do). Goal: < 80 MB. */
import { setTimeout as sleep } from 'node:timers/promises';
import { mb, report, SYNCHRONOUS, withEngine } from './common.ts';

await withEngine(async () => {
  // Idle means idle: let start-up garbage be collected and the poll loops settle for a second.
  await sleep(1000);
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(200);
  const rss = process.memoryUsage().rss;
  report(`f) idle engine RSS [sync=${SYNCHRONOUS}]`, { rssMB: mb(rss) }, '< 80 MB', mb(rss) < 80);
});
