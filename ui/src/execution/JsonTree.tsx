/**
 * Outputs as a collapsible tree (WAI-ARIA tree: a button per branch, aria-expanded). A `kestra:///`
 * value gets a preview of its first KB of text and a download.
 */
import { useMemo, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { downloadFile, previewFile } from './files.ts';
import { isStorageUri, jsonRows } from './json-tree.ts';

const FileValue = ({ executionId, uri }: { executionId: string; uri: string }) => {
  const [preview, setPreview] = useState<{ text: string; truncated: boolean }>();
  const [error, setError] = useState<unknown>();
  return (
    <>
      <span className="mono json-string">{uri}</span>{' '}
      <Button
        small
        variant="ghost"
        aria-expanded={preview !== undefined}
        onClick={() => {
          if (preview) return setPreview(undefined);
          previewFile(executionId, uri).then(setPreview, setError);
        }}
      >
        {preview ? 'Hide preview' : 'Preview'}
      </Button>
      <Button small variant="ghost" onClick={() => void downloadFile(executionId, uri).catch(setError)}>
        Download
      </Button>
      <ErrorMessage error={error} />
      {preview ? (
        <pre className="file-preview" data-file={uri}>
          {preview.text}
          {preview.truncated ? <span className="muted">{'\n'}… (first KB shown)</span> : null}
        </pre>
      ) : null}
    </>
  );
};

export const JsonTree = ({
  value,
  executionId,
  label,
}: {
  value: unknown;
  executionId: string;
  label: string;
}) => {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const rows = useMemo(() => jsonRows(value, expanded), [value, expanded]);
  const toggle = (path: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  if (rows.length === 0) return <p className="muted">No outputs.</p>;
  return (
    <ul className="json-tree" aria-label={label}>
      {rows.map((row) => (
        <li key={row.path} data-path={row.path} style={{ paddingLeft: row.depth * 16 }}>
          {row.expandable ? (
            <button
              type="button"
              className="json-toggle"
              onClick={() => toggle(row.path)}
              aria-expanded={row.expanded}
            >
              <span aria-hidden="true">{row.expanded ? '▾' : '▸'}</span>{' '}
              <span className="json-key">{row.key}</span>
            </button>
          ) : (
            <span className="json-key json-leaf">{row.key}</span>
          )}
          :{' '}
          {isStorageUri(row.value) ? (
            <FileValue executionId={executionId} uri={row.value} />
          ) : (
            <span className={`mono json-${row.kind}`}>{row.text}</span>
          )}
        </li>
      ))}
    </ul>
  );
};
