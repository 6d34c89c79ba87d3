/**
 * For API tests: flows put in a data folder before its server starts, server-sent events read from a
 * response, and polling the API until an execution reaches a state.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFlowSource } from '../../src/flow/index.ts';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import type { RoleBinding } from '../../src/store/types.ts';
import type { TestServer } from './server.ts';

export interface SeedUser {
  name: string;
  password: string;
  bindings: RoleBinding[];
}

/** A new data folder holding these flows and users (the server of the test starts on it). */
export const dataDirWithFlows = async (sources: string[], users: SeedUser[] = []): Promise<string> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-api-'));
  const store = await openSqliteStore({ path: join(dataDir, 'baton.db') });
  try {
    for (const source of sources) {
      const { flow, errors } = loadFlowSource(source, 'flow.yaml');
      if (!flow || errors.length > 0) throw new Error(`invalid test flow: ${JSON.stringify(errors)}`);
      await store.saveFlow(flow.namespace, flow.id, source);
    }
    const now = new Date().toISOString();
    for (const u of users)
      await store.putUser({
        name: u.name,
        passwordHash: await hashPassword(u.password),
        bindings: u.bindings,
        disabled: false,
        createdAt: now,
        updatedAt: now,
      });
  } finally {
    await store.close();
  }
  return dataDir;
};

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Every event of a stream until the server ends it (`stopWhen` returning true stops reading early). */
export const readEvents = async (
  response: Response,
  stopWhen?: (e: SseEvent) => boolean,
): Promise<SseEvent[]> => {
  const events: SseEvent[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buffer += value;
      let at = buffer.indexOf('\n\n');
      while (at >= 0) {
        const block = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        at = buffer.indexOf('\n\n');
        const event: SseEvent = { data: '' };
        let comment = true;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          comment = false;
          const colon = line.indexOf(':');
          const field = line.slice(0, colon);
          const text = line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') event.id = text;
          else if (field === 'event') event.event = text;
          else if (field === 'data') event.data += text;
        }
        if (comment) continue;
        events.push(event);
        if (stopWhen?.(event)) return events;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
};

export interface ApiExecution {
  id: string;
  namespace: string;
  flowId: string;
  state: { current: string; histories: { state: string; date: string }[]; duration: string };
  taskRunList: {
    id: string;
    taskId: string;
    state: { current: string };
    attempts: { state: { current: string } }[];
    outputs?: Record<string, unknown>;
  }[];
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  labels: { key: string; value: string }[];
  trigger?: { id: string; type: string; variables: Record<string, unknown> };
  originalId: string;
}

/**
 * Polls the execution until `until` holds. Between polls it waits for the follow stream's next
 * event rather than a fixed time, so it never sleeps longer than a change takes.
 */
export const waitForState = async (
  server: TestServer,
  id: string,
  until: (e: ApiExecution) => boolean,
): Promise<ApiExecution> => {
  for (;;) {
    const e = (await (await server.request(`/api/v1/executions/${id}`)).json()) as ApiExecution;
    if (until(e)) return e;
    const follow = await server.request(`/api/v1/executions/${id}/follow`);
    // the stream's first event is `start`, the second the execution now; the third is the next change
    await readEvents(follow, (ev) => ev.id === 'end' || (ev.id === 'progress' && until(JSON.parse(ev.data))));
  }
};
