'use client';
// "Try again" beside a failure, where trying again may help: a refusal (4xx) would only be
// refused again; a failure of the server or the network may pass.
import { isRefusal } from './queries';

export function TryAgain({ error, onRetry }: { error: Error; onRetry: () => void }) {
  if (isRefusal(error)) return null;
  return (
    <button type="button" onClick={onRetry}>
      Try again
    </button>
  );
}
