// Glue over @kubernetes/client-node 1.4: an abort signal for its generated API calls, and one
// error class whose message fits a log line.
import { ApiException, Observable, type ConfigurationOptions, type ObservableMiddleware } from '@kubernetes/client-node';
import { CollectorError, errorMessage } from '../errors';

const MAX_REASON_CHARS = 200;

/** A Kubernetes API call failed; `status` is the HTTP status when the server answered at all. */
export class KubeApiError extends CollectorError {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation}: ${detail}`, options);
  }
}

export function kubeApiError(operation: string, err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const status = httpStatus(err);
  // ApiException's own message carries the whole response body and headers: too long for a log.
  const detail = status === undefined ? errorMessage(err) : `HTTP ${status}${reasonSuffix(err)}`;
  return new KubeApiError(operation, status, detail, { cause: err });
}

/** The HTTP status of a generated-API error (ApiException) or of a Watch error (statusCode). */
export function httpStatus(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  if (err && typeof err === 'object' && 'statusCode' in err && typeof err.statusCode === 'number') return err.statusCode;
  return undefined;
}

function reasonSuffix(err: unknown): string {
  if (!(err instanceof ApiException)) return '';
  let body: unknown = err.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return '';
    }
  }
  const message = body && typeof body === 'object' && 'message' in body ? body.message : undefined;
  return typeof message === 'string' && message ? ` ${message.slice(0, MAX_REASON_CHARS)}` : '';
}

/**
 * Per-call options that make a generated API call abortable (a timeout, or close()). The
 * object-style API (`CoreV1Api`) runs on the Observable one, so the middleware must return the
 * library's own Observable; a promise middleware fails with "toPromise is not a function".
 */
export function withSignal(signal: AbortSignal): ConfigurationOptions {
  const setSignal: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  return { middleware: [setSignal], middlewareMergeStrategy: 'append' };
}
