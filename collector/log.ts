// Human lines on stderr: what is tailed, where batches go, what failed. Never one per batch or
// per line: a collector's own output lands in the logs it collects.

export interface Logger {
  info(message: string): void;
  error(message: string): void;
}

export function stderrLogger(prefix = 'logpond collector'): Logger {
  const write = (level: string, message: string) => process.stderr.write(`${prefix} ${level}: ${message}\n`);
  return {
    info: (message) => write('info', message),
    error: (message) => write('error', message),
  };
}

export const silentLogger: Logger = { info: () => undefined, error: () => undefined };
