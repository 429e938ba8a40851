// The collector's own error classes. Thrown only as Error subclasses so callers can tell a bad
// setting from a bad file from a server that refused a batch.

export class CollectorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A LOGPOND_* variable holds a value the collector cannot use; the message names it. */
export class ConfigError extends CollectorError {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable}: ${detail}`);
  }
}

/** The path names something that is not a regular file (a directory called x.log, a device). */
export class NotARegularFileError extends CollectorError {
  readonly code = 'ENOTREG';
  constructor(readonly path: string) {
    super(`${path} is not a regular file`);
  }
}

/** The collector is stopping; a send or a wait was abandoned on purpose. */
export class StoppedError extends CollectorError {
  constructor() {
    super('the collector is stopping');
  }
}

/** The error code of a Node fs error (`ENOENT`, `EACCES`), or the error's name when there is none. */
export function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.name : 'unknown';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The checkpoint file exists but cannot be used. */
export class CheckpointError extends CollectorError {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`checkpoint ${path}: ${detail}`);
  }
}
