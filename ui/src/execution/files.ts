/** Files of an execution by `kestra:///` URI: the first bytes as text (preview) and a download. */
import { rawRequest } from '../api/client.ts';
import { filePath } from '../api/executions.ts';

/** How much of a file the preview shows: enough to recognise it, small enough for any file. */
export const PREVIEW_BYTES = 1024;

export const previewFile = async (
  executionId: string,
  uri: string,
): Promise<{ text: string; truncated: boolean }> => {
  const controller = new AbortController();
  const response = await rawRequest(filePath(executionId), {
    query: { path: uri },
    signal: controller.signal,
  });
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  if (reader) {
    while (size < PREVIEW_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
    truncated = size > PREVIEW_BYTES || Number(response.headers.get('content-length') ?? 0) > PREVIEW_BYTES;
    // The rest of a large file is not wanted.
    controller.abort();
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, PREVIEW_BYTES));
  return { text, truncated };
};

/** Downloads with the session's token (a plain link could not send it), under the file's name. */
export const downloadFile = async (executionId: string, uri: string): Promise<void> => {
  const response = await rawRequest(filePath(executionId), { query: { path: uri } });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)) || 'file';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has started the download from the object URL by then.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
