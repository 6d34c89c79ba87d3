/**
 * A flow's revisions: pick two to compare side by side (by default the one before the latest and the
 * latest), and restore an older one (saved as a new revision; editors only).
 */
import { useMemo, useState } from 'react';
import { flowRevisions } from '../api/flows.ts';
import type { Flow } from '../api/types.ts';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { useAsync } from '../useAsync.ts';
import { SideBySideDiff } from './SideBySideDiff.tsx';

export interface RevisionsDialogProps {
  namespace: string;
  id: string;
  canRestore: boolean;
  onRestore: (revision: Flow) => Promise<void>;
  onClose: () => void;
}

export const RevisionsDialog = ({ namespace, id, canRestore, onRestore, onClose }: RevisionsDialogProps) => {
  const revisions = useAsync(() => flowRevisions(namespace, id), [namespace, id]);
  const list = useMemo(() => revisions.data ?? [], [revisions.data]);
  const latest = list.at(-1)?.revision ?? 1;
  const [left, setLeft] = useState<number>();
  const [right, setRight] = useState<number>();
  const [failure, setFailure] = useState<unknown>();
  const from = left ?? Math.max(1, latest - 1);
  const to = right ?? latest;
  const before = list.find((r) => r.revision === from);
  const after = list.find((r) => r.revision === to);

  const picker = (label: string, value: number, set: (n: number) => void) => (
    <label className="row">
      {label}
      <select className="input" value={value} onChange={(e) => set(Number(e.target.value))}>
        {list.map((r) => (
          <option key={r.revision} value={r.revision}>
            revision {r.revision}
            {r.revision === latest ? ' (latest)' : ''}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <Dialog title={`Revisions of ${id}`} onClose={onClose}>
      <ErrorMessage error={revisions.error ?? failure} />
      {revisions.loading && !revisions.data ? <Loading what="Loading revisions" /> : null}
      {list.length > 0 ? (
        <>
          <div className="row" style={{ marginBottom: 12, flexWrap: 'wrap' }}>
            {picker('Compare', from, setLeft)}
            {picker('with', to, setRight)}
            <span className="spacer" />
            {canRestore && before && from !== latest ? (
              <Button
                variant="primary"
                onClick={() => {
                  if (!window.confirm(`Restore revision ${from}? It is saved as a new revision.`)) return;
                  onRestore(before).then(onClose, setFailure);
                }}
              >
                Restore revision {from}
              </Button>
            ) : null}
          </div>
          {before && after ? (
            <SideBySideDiff
              before={before.source ?? ''}
              after={after.source ?? ''}
              beforeLabel={`revision ${from}`}
              afterLabel={`revision ${to}`}
            />
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
};
