/** Two revisions' sources side by side, changed lines marked (added, removed) and numbered. */
import { useMemo } from 'react';
import { type DiffCell, diffRows } from '../flow/diff-rows.ts';

const Cells = ({ cell, side }: { cell: DiffCell; side: string }) => (
  <>
    <td className={`n ${cell.kind}`}>{cell.n ?? ''}</td>
    <td className={`diff-line ${cell.kind}`}>
      {cell.kind === 'add' ? <span className="sr-only">added in {side}: </span> : null}
      {cell.kind === 'del' ? <span className="sr-only">removed from {side}: </span> : null}
      {cell.text}
    </td>
  </>
);

export const SideBySideDiff = ({
  before,
  after,
  beforeLabel,
  afterLabel,
}: {
  before: string;
  after: string;
  beforeLabel: string;
  afterLabel: string;
}) => {
  const rows = useMemo(() => diffRows(before, after), [before, after]);
  return (
    <table className="diff" aria-label={`Changes from ${beforeLabel} to ${afterLabel}`}>
      <colgroup>
        <col className="n" />
        <col />
        <col className="n" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th colSpan={2}>{beforeLabel}</th>
          <th colSpan={2}>{afterLabel}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          <tr key={i}>
            <Cells cell={row.left} side={beforeLabel} />
            <Cells cell={row.right} side={afterLabel} />
          </tr>
        ))}
      </tbody>
    </table>
  );
};
