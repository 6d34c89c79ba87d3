/**
 * Monaco with monaco-yaml, set up once on first use (the editor page only): its workers (Vite builds
 * them as separate files, served from the app's own origin), and the flow JSON Schema from the server
 * (`GET /plugins/schemas/flow`) for completion, hover documentation and checks as you type.
 */

import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import { configureMonacoYaml } from 'monaco-yaml';
import YamlWorker from 'monaco-yaml/yaml.worker?worker';
import { flowSchema } from '../api/flows.ts';
import { expressionCompletion } from './expression-completion.ts';
import * as monaco from './monaco-lean.ts';

export type { monaco };

/** Models of flow sources end with this: the schema applies to them. */
export const FLOW_MODEL_SUFFIX = '.flow.yaml';

let ready: Promise<typeof monaco> | undefined;

type CreateWorker = (
  options: monaco.editor.IInternalWebWorkerOptions,
) => monaco.editor.MonacoWebWorker<object>;
/** What monaco-yaml passes: the old options, or the new ones. */
type WorkerOptions = Partial<monaco.editor.IInternalWebWorkerOptions> & {
  label?: string;
  createData?: unknown;
};

/**
 * monaco-yaml (through monaco-worker-manager) asks Monaco for its worker the pre-0.53 way, by `label`
 * and `createData`; Monaco now takes the worker itself, started as its own languages start theirs: an
 * `ignore` message, then the create data.
 */
const startYamlWorkers = () => {
  const create = monaco.editor.createWebWorker as CreateWorker;
  (monaco.editor as { createWebWorker: (o: WorkerOptions) => unknown }).createWebWorker = (opts) => {
    if (opts.label !== 'yaml' || opts.worker) return create(opts as monaco.editor.IInternalWebWorkerOptions);
    const worker = new YamlWorker();
    worker.postMessage('ignore');
    worker.postMessage(opts.createData);
    return create({ worker, host: opts.host, keepIdleModels: opts.keepIdleModels });
  };
};

const setup = async (): Promise<typeof monaco> => {
  self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
  startYamlWorkers();
  let schema: Record<string, unknown> | undefined;
  try {
    schema = await flowSchema();
  } catch {
    // Without the schema the editor still edits and the server still validates on the side.
    schema = undefined;
  }
  configureMonacoYaml(monaco, {
    enableSchemaRequest: false,
    hover: true,
    completion: true,
    validate: true,
    schemas: schema
      ? [
          {
            uri: `${location.origin}/api/v1/plugins/schemas/flow`,
            fileMatch: [`*${FLOW_MODEL_SUFFIX}`],
            schema,
          },
        ]
      : [],
  });
  registerExpressionCompletion();
  return monaco;
};

/** `{{ inputs. }}`, `vars.`, `outputs.` completion (expression-completion.ts) for flow models. */
const registerExpressionCompletion = () => {
  monaco.languages.registerCompletionItemProvider('yaml', {
    triggerCharacters: ['.'],
    provideCompletionItems(model, position) {
      if (!model.uri.path.endsWith(FLOW_MODEL_SUFFIX)) return { suggestions: [] };
      const offset = model.getOffsetAt(position);
      const found = expressionCompletion(model.getValue(), offset);
      if (!found) return { suggestions: [] };
      const start = model.getPositionAt(found.from);
      const range = new monaco.Range(start.lineNumber, start.column, position.lineNumber, position.column);
      return {
        suggestions: found.items.map((item, i) => ({
          label: item.label,
          kind: monaco.languages.CompletionItemKind.Field,
          detail: item.detail,
          insertText: item.label,
          range,
          // Before the schema's suggestions, in the flow's order.
          sortText: `0${String(i).padStart(4, '0')}`,
        })),
      };
    },
  });
};

export const loadMonaco = (): Promise<typeof monaco> => {
  ready ??= setup();
  return ready;
};
