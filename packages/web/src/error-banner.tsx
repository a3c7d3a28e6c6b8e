import type { ChatMessageError } from "@sluice/client";

/** The last answer failed: its error type and message, and a Retry button. */
export function ErrorBanner({ error, onRetry }: { error: ChatMessageError; onRetry(): void }) {
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <p>
        <strong className="error-type">{error.type}</strong> {error.message}
      </p>
      <button type="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
