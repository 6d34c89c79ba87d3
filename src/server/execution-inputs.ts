/**
 * Inputs of an execution as the API receives them: `multipart/form-data` (Kestra's way: one part per
 * input, files for FILE inputs) or, for convenience, a JSON object. Uploaded files go to internal
 * storage under the new execution's `inputs/<id>/` folder before it is created (the executor only ever
 * sees their `kestra:///` URIs).
 *
 * A FILE input takes an uploaded file, or text (its content). Never a path on the server nor a
 * `kestra:///` URI given by the caller: either would let a caller read files that are not theirs.
 */
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Input } from '../flow/types.ts';
import type { LocalStorage } from '../storage/local.ts';
import { HttpError } from './errors.ts';

export interface InputTarget {
  namespace: string;
  flowId: string;
  executionId: string;
  /** The declared inputs (the flow's `inputs`, or a Pause task's `onResume`). */
  declared: readonly Input[];
}

export interface ReadInputs {
  values: Record<string, unknown>;
  /** Whether files were written to storage (to remove if the execution is not created). */
  storedFiles: boolean;
}

const isFileInput = (declared: readonly Input[], id: string): boolean =>
  declared.some((i) => (i.id ?? (i as { name?: string }).name) === id && i.type === 'FILE');

const isDeclared = (declared: readonly Input[], id: string): boolean =>
  declared.some((i) => (i.id ?? (i as { name?: string }).name) === id);

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const CONTROL_CHARS = /[\u0000-\u001f]/g;

/** A file name that is one safe path segment; the input id when the client's is unusable. */
const safeFileName = (name: string | undefined, fallback: string): string => {
  const base = basename(String(name ?? '').replaceAll('\\', '/'))
    .replace(CONTROL_CHARS, '')
    .slice(0, 200);
  return base === '' || base === '.' || base === '..' ? fallback : base;
};

const addValue = (values: Record<string, unknown>, id: string, value: unknown): void => {
  // A repeated part (MULTISELECT, ARRAY) becomes a list.
  if (!Object.hasOwn(values, id)) values[id] = value;
  else if (Array.isArray(values[id])) (values[id] as unknown[]).push(value);
  else values[id] = [values[id], value];
};

const readText = async (stream: Readable): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Reads the request's inputs. Throws 422 naming the input for a value a FILE input cannot take, 413 when
 * an upload is over the size limit (see the multipart limits in app.ts).
 */
export const readInputs = async (
  req: FastifyRequest,
  storage: LocalStorage,
  target: InputTarget,
): Promise<ReadInputs> => {
  const values: Record<string, unknown> = {};
  let storedFiles = false;
  if (req.isMultipart()) {
    for await (const part of req.parts()) {
      const id = part.fieldname;
      if (part.type === 'file') {
        if (!isFileInput(target.declared, id)) {
          // A file for another input is its text; an undeclared one is ignored (as in Kestra).
          if (isDeclared(target.declared, id)) addValue(values, id, await readText(part.file));
          else part.file.resume();
          continue;
        }
        const uri = await storage.put(
          {
            namespace: target.namespace,
            flowId: target.flowId,
            executionId: target.executionId,
            inputId: id,
            fileName: safeFileName(part.filename, id),
          },
          part.file,
        );
        storedFiles = true;
        if (part.file.truncated) throw new HttpError(413, `input ${id}: the file is over the size limit`);
        addValue(values, id, uri);
      } else {
        const text = typeof part.value === 'string' ? part.value : String(part.value);
        addValue(values, id, isFileInput(target.declared, id) ? Buffer.from(text) : text);
      }
    }
    return { values, storedFiles };
  }
  const body = req.body;
  if (body === undefined || body === null || body === '') return { values, storedFiles };
  if (typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(422, 'inputs: a JSON object of input values, or multipart/form-data, is expected');
  for (const [id, value] of Object.entries(body as Record<string, unknown>)) {
    if (!isFileInput(target.declared, id)) {
      values[id] = value;
      continue;
    }
    if (typeof value !== 'string')
      throw new HttpError(
        422,
        `Invalid input for \`${id}\`: a FILE input takes an uploaded file (multipart/form-data) or its content as a string`,
      );
    // Content, never a path or a URI (see the module comment).
    values[id] = Buffer.from(value);
  }
  return { values, storedFiles };
};
