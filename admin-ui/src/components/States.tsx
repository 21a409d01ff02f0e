import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="state loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden /> {what}…
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const api = error instanceof ApiError ? error : null;
  const title =
    api?.status === 403
      ? 'Not allowed'
      : api?.status === 404
        ? 'Not found'
        : api?.status === 0
          ? 'Gateway unreachable'
          : (api?.title ?? 'Something went wrong');
  return (
    <div className="state error" role="alert">
      <strong>{title}</strong>
      <span>{error.message}</span>
      {api?.code ? <code>error_code {api.code}</code> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

/** Loading, error or the content; the usual three states of a page section. */
export function Async<T>({
  state,
  children,
  what,
}: {
  state: { data: T | undefined; error: Error | null; loading: boolean; reload: () => void };
  children: (data: T) => ReactNode;
  what?: string;
}) {
  if (state.error && state.data === undefined) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading what={what} />;
  return <>{children(state.data)}</>;
}
