import { Button } from '../components/Button.tsx';

/** Previous / next pages of a list, with where we are. */
export const Pager = ({
  page,
  total,
  size,
  onPage,
}: {
  page: number;
  total: number;
  size: number;
  onPage: (p: number) => void;
}) => {
  const pages = Math.max(1, Math.ceil(total / size));
  return (
    <nav className="row pager" aria-label="Pages">
      <Button small disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </Button>
      <span className="muted">
        page {page} of {pages} ({total})
      </span>
      <Button small disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </Button>
    </nav>
  );
};
