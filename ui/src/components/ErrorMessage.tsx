import { ApiError } from '../api/client.ts';

/** What went wrong, as the server said it (its `message`). */
export const ErrorMessage = ({ error }: { error: unknown }) => {
  if (error === undefined || error === null) return null;
  const text =
    error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <div className="alert" role="alert">
      {text}
    </div>
  );
};
