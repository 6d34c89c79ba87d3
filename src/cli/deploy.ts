/**
 * `baton deploy DIR --server URL [--namespace NS] [--delete]`: puts a folder of flows (kept in Git) on a
 * server. Every file is validated first, locally and then by the server; if one is invalid nothing is
 * changed. Then each flow is created, or updated when its source differs from the server's (so a
 * revision is added only for a real change). With `--delete`, the server's flows of the deployed
 * namespaces (NS and its sub-namespaces with `--namespace`) that the folder no longer has are deleted.
 */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { UsageError } from '../errors.ts';
import { formatFlowError, type LoadedFlow, loadFlowDirectory } from '../flow/index.ts';
import { parse } from './args.ts';
import { type ServerClient, ServerRequestError, serverClient } from './client.ts';

interface DeployFlow {
  file: string;
  namespace: string;
  id: string;
  source: string;
}

interface ServerFlow {
  namespace: string;
  id: string;
  revision: number;
  source?: string;
}

interface Validation {
  index: number;
  constraints?: string;
}

const within = (scope: string, namespace: string) => namespace === scope || namespace.startsWith(`${scope}.`);
const name = (f: { namespace: string; id: string }) => `${f.namespace}.${f.id}`;
const path = (f: { namespace: string; id: string }) =>
  `/api/v1/flows/${encodeURIComponent(f.namespace)}/${encodeURIComponent(f.id)}`;

/** Local checks: every file valid, no flow twice, every flow inside `--namespace`. Errors, or the flows. */
const checkLocally = (
  dir: string,
  loaded: LoadedFlow[],
  scope: string | undefined,
): { errors: string[]; flows: DeployFlow[] } => {
  const errors: string[] = [];
  const flows: DeployFlow[] = [];
  const files = new Map<string, string>();
  for (const l of loaded) {
    const file = relative(dir, l.file) || l.file;
    if (!l.flow) {
      errors.push(...l.errors.map((e) => formatFlowError({ ...e, file })));
      continue;
    }
    const flow = { file, namespace: l.flow.namespace, id: l.flow.id, source: l.source };
    const other = files.get(name(flow));
    if (other) errors.push(`${file}: flow ${name(flow)} is also defined in ${other}`);
    else files.set(name(flow), file);
    if (scope && !within(scope, flow.namespace))
      errors.push(`${file}: flow ${name(flow)} is not in namespace ${scope} (--namespace)`);
    flows.push(flow);
  }
  return { errors, flows };
};

/** The server's own validation of every flow (its task types may differ from this command's). */
const checkOnServer = async (client: ServerClient, flows: DeployFlow[]): Promise<string[]> => {
  const answer = await client.request<Validation[]>('POST', '/api/v1/flows/validate', {
    text: flows.map((f) => f.source).join('\n---\n'),
    contentType: 'application/x-yaml',
  });
  return answer
    .filter((v) => v.constraints)
    .map((v) => `${flows[v.index]?.file ?? `flow ${v.index}`}: (server) ${v.constraints}`);
};

const serverFlow = async (
  client: ServerClient,
  flow: { namespace: string; id: string },
): Promise<ServerFlow | undefined> => {
  try {
    return await client.request<ServerFlow>('GET', path(flow), { query: { source: true } });
  } catch (error) {
    if (error instanceof ServerRequestError && error.status === 404) return undefined;
    throw error;
  }
};

/** Every live flow of the server in `namespace` (and its sub-namespaces when `children`). */
const serverFlowsIn = async (
  client: ServerClient,
  namespace: string,
  children: boolean,
): Promise<ServerFlow[]> => {
  if (!children) return client.request<ServerFlow[]>('GET', `/api/v1/flows/${encodeURIComponent(namespace)}`);
  const out: ServerFlow[] = [];
  const size = 500;
  for (let page = 1; ; page++) {
    const { results, total } = await client.request<{ results: ServerFlow[]; total: number }>(
      'GET',
      '/api/v1/flows/search',
      { query: { namespace, page, size } },
    );
    out.push(...results);
    if (results.length === 0 || out.length >= total) return out;
  }
};

/**
 * Puts one flow on the server: created, or updated only when its source differs from the server's (so
 * a revision is added only for a real change). Shared with `baton run --server`.
 */
export const deployFlow = async (
  client: ServerClient,
  flow: { namespace: string; id: string; source: string },
): Promise<{ action: 'created' | 'updated' | 'unchanged'; revision: number }> => {
  const existing = await serverFlow(client, flow);
  if (existing?.source === flow.source) return { action: 'unchanged', revision: existing.revision };
  const saved = existing
    ? await client.request<ServerFlow>('PUT', path(flow), {
        text: flow.source,
        contentType: 'application/x-yaml',
      })
    : await client.request<ServerFlow>('POST', '/api/v1/flows', {
        text: flow.source,
        contentType: 'application/x-yaml',
      });
  return { action: existing ? 'updated' : 'created', revision: saved.revision };
};

export const main = async (argv: string[]): Promise<number> => {
  const { positionals, values } = parse(argv, {
    server: { type: 'string' },
    namespace: { type: 'string' },
    delete: { type: 'boolean' },
  });
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0)
    throw new UsageError('usage: baton deploy DIR --server URL [--namespace NS] [--delete]');
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`${dir} is not a folder`);
  const client = serverClient({ server: values.server });
  const scope = values.namespace;

  const loaded = loadFlowDirectory(dir);
  if (loaded.length === 0 && !(values.delete && scope))
    throw new UsageError(`no flow files (*.yaml, *.yml) in ${dir}`);
  const local = checkLocally(dir, loaded, scope);
  const errors =
    local.errors.length > 0 || local.flows.length === 0
      ? local.errors
      : await checkOnServer(client, local.flows);
  if (errors.length > 0) {
    for (const e of errors) console.error(e);
    console.error(`nothing was deployed: ${errors.length} problem${errors.length === 1 ? '' : 's'}`);
    return 2;
  }

  const counts = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const flow of local.flows) {
    const { action, revision } = await deployFlow(client, flow);
    counts[action]++;
    if (action !== 'unchanged')
      console.log(`${action} ${name(flow)} (revision ${revision}) from ${flow.file}`);
  }

  if (values.delete) {
    const keep = new Set(local.flows.map(name));
    const namespaces = scope ? [scope] : [...new Set(local.flows.map((f) => f.namespace))];
    for (const namespace of namespaces) {
      for (const flow of await serverFlowsIn(client, namespace, scope !== undefined)) {
        if (keep.has(name(flow))) continue;
        await client.request('DELETE', path(flow));
        counts.deleted++;
        console.log(`deleted ${name(flow)} (not in the folder)`);
      }
    }
  }
  console.log(
    `${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged` +
      (values.delete ? `, ${counts.deleted} deleted` : ''),
  );
  return 0;
};
