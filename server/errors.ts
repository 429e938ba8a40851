// Every error a user or a collector can cause is one of these classes, so one mapper turns them
// into statuses. The mapper matches on the `status` property, not on `instanceof`: Next bundles
// route handlers separately from instrumentation, so one class may exist twice in a process.

export class LogpondError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed; `path` names the first bad part of a body. */
export class BadRequestError extends LogpondError {
  constructor(message: string, code = 'bad_request') {
    super(400, code, message);
  }
}

export class UnauthorizedError extends LogpondError {
  constructor(message = 'a valid bearer token is required', code = 'unauthorized') {
    super(401, code, message);
  }
}

/** 403: the caller is known, but may not do this (e.g. a write posted from another site). */
export class ForbiddenError extends LogpondError {
  constructor(message: string, code = 'forbidden') {
    super(403, code, message);
  }
}

export class PayloadTooLargeError extends LogpondError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `the body is larger than ${limitBytes} bytes`);
  }
}

/** 429: the caller should try again after `retryAfterSeconds` (Retry-After). */
export class TooManyRequestsError extends LogpondError {
  constructor(
    message: string,
    code: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, code, message);
  }
}

/** 503: the store cannot take or answer the request now; a collector retries. */
export class StorageUnavailableError extends LogpondError {
  constructor(message = 'storage is unavailable, retry later') {
    super(503, 'storage_unavailable', message);
  }
}

/** 503: more reads are running and waiting than the server takes; `retryAfterSeconds` goes in Retry-After. */
export class OverloadedError extends LogpondError {
  constructor(readonly retryAfterSeconds: number) {
    super(503, 'overloaded', `the server is answering as many reads as it takes (LOGPOND_READ_CONCURRENCY, LOGPOND_READ_QUEUE); retry in ${retryAfterSeconds} s`);
  }
}

/** A LOGPOND_* variable that cannot be parsed; the process refuses to start. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function isLogpondError(err: unknown): err is LogpondError {
  return (
    err instanceof Error &&
    typeof (err as Partial<LogpondError>).status === 'number' &&
    typeof (err as Partial<LogpondError>).code === 'string'
  );
}

/** 415: the body's Content-Type is not one the route reads. */
export class UnsupportedMediaTypeError extends LogpondError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}
