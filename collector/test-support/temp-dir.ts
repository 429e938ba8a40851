// A fresh temporary directory per test, removed afterwards.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export async function makeTempDir(prefix = 'logpond-collector-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** A CRI log line with a fixed, valid timestamp. */
export function criLine(message: string, stream: 'stdout' | 'stderr' = 'stdout', tag: 'F' | 'P' = 'F', second = 0): string {
  return `2026-01-02T03:04:${String(second).padStart(2, '0')}.123456789Z ${stream} ${tag} ${message}\n`;
}
