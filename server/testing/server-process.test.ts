// The helper that starts the real server for tests and benches.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './temp-dir';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startServer', () => {
  it('takes the server down with the process that started it when that one dies of an error', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    // A bench that throws while its server runs, as one did with a debugging line.
    const script = `
      import { startServer } from ${JSON.stringify(path.join(import.meta.dirname, 'server-process.ts'))};
      const server = await startServer({ LOGPOND_DATA_DIR: ${JSON.stringify(dir)}, LOGPOND_DEMO: '0' });
      console.log(server.child.pid);
      throw new Error('the bench failed');`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    parent.stdout.on('data', (d) => (stdout += d));
    parent.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => parent.once('exit', resolve));
    expect(code).not.toBe(0);
    const serverPid = Number(stdout.trim());
    expect(serverPid, stderr).toBeGreaterThan(0);
    const deadline = Date.now() + 5_000;
    while (alive(serverPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const left = alive(serverPid);
    if (left) process.kill(serverPid, 'SIGKILL');
    expect(left).toBe(false);
  });

  it('takes the server down with the process that started it when that one is killed', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    // A test runner stopped by a timeout: SIGKILL runs no handler in the parent.
    const script = `
      import { startServer } from ${JSON.stringify(path.join(import.meta.dirname, 'server-process.ts'))};
      const server = await startServer({ LOGPOND_DATA_DIR: ${JSON.stringify(dir)}, LOGPOND_DEMO: '0' });
      console.log(server.child.pid);
      setInterval(() => undefined, 1_000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    parent.stderr.on('data', (d) => (stderr += d));
    const serverPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.on('data', (d) => resolve(Number(String(d).trim())));
      parent.once('exit', () => reject(new Error(`the parent ended first: ${stderr}`)));
    });
    expect(serverPid).toBeGreaterThan(0);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (alive(serverPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const left = alive(serverPid);
    if (left) process.kill(serverPid, 'SIGKILL');
    expect(left).toBe(false);
  });
});
