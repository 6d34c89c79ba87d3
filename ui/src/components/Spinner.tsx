/** A loading notice (text: it is read out, and it needs no animation to be understood). */
export const Loading = ({ what = 'Loading' }: { what?: string }) => (
  <p className="muted" role="status">
    {what}…
  </p>
);
