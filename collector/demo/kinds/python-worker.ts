// A Celery worker: Python logging writes to stderr by default, in Celery's
// `[%(asctime)s: %(levelname)s/%(processName)s] %(message)s`, and failures end in a traceback.

import { millis3, secondParts } from '../time-text';
import { chance, int, pick, type Rng } from '../rng';
import type { Emit, KindWriter, Level } from './emit';
import { uuid } from './traffic';

const LEVEL_TEXT: Record<Level, string> = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR' };
const TASKS = ['reconcile_account', 'post_ledger_entry', 'send_receipt', 'export_statement'];

function head(e: Emit, level: Level, proc: string): string {
  const p = secondParts(e.ts);
  return `[${p.date} ${p.time},${millis3(e.ts)}: ${LEVEL_TEXT[level]}/${proc}] `;
}

const poolWorker = (rng: Rng) => `ForkPoolWorker-${int(rng, 1, 4)}`;

interface Failure {
  error: string;
  frames: Array<[file: string, line: number, fn: string, code: string]>;
}

function failure(rng: Rng, service: string): Failure {
  const mod = service.replace(/-worker$/, '').replace(/-/g, '_');
  if (chance(rng, 0.6)) {
    return {
      error: 'psycopg2.OperationalError: connection to server at "postgres.payments.svc.cluster.local" (10.96.120.14), port 5432 failed: Connection refused',
      frames: [
        ['/usr/local/lib/python3.12/site-packages/celery/app/trace.py', 453, 'trace_task', 'R = retval = fun(*args, **kwargs)'],
        [`/app/${mod}/tasks.py`, int(rng, 40, 120), pick(rng, TASKS), 'balance = repo.fetch_balance(account_id)'],
        [`/app/${mod}/repository.py`, int(rng, 20, 80), 'fetch_balance', 'with self.pool.connection() as conn:'],
        ['/usr/local/lib/python3.12/site-packages/psycopg2/__init__.py', 122, 'connect', 'conn = _connect(dsn, connection_factory=connection_factory, **kwasync)'],
      ],
    };
  }
  return {
    error: `KeyError: 'currency'`,
    frames: [
      ['/usr/local/lib/python3.12/site-packages/celery/app/trace.py', 453, 'trace_task', 'R = retval = fun(*args, **kwargs)'],
      [`/app/${mod}/tasks.py`, int(rng, 40, 120), 'post_ledger_entry', 'entry = Entry.from_event(payload)'],
      [`/app/${mod}/models.py`, int(rng, 30, 90), 'from_event', "return cls(amount=Decimal(event['amount']), currency=event['currency'])"],
    ],
  };
}

export const pythonWorker: KindWriter = {
  hasDebug: true,
  event(e, level, burst) {
    const rng = e.rng;
    const out = (text: string) => e.line(text, 'stderr');
    const task = `${e.service.replace(/-worker$/, '').replace(/-/g, '_')}.tasks.${pick(rng, TASKS)}`;
    const id = uuid(rng);
    if (level === 'debug') {
      out(head(e, level, 'MainProcess') + pick(rng, ['basic.qos: prefetch_count->8', `Timer wake-up! Next ETA ${(rng() * 2).toFixed(3)} secs.`, 'pidbox received method ping() [reply_to:None ticket:None]']));
      return;
    }
    if (level === 'info') {
      if (chance(rng, 0.5)) out(head(e, level, 'MainProcess') + `Task ${task}[${id}] received`);
      else out(head(e, level, poolWorker(rng)) + `Task ${task}[${id}] succeeded in ${(rng() * rng() * 4).toFixed(6)}s: None`);
      return;
    }
    if (level === 'warn') {
      if (chance(rng, 0.5)) out(head(e, level, poolWorker(rng)) + `Task ${task}[${id}] retry: Retry in ${pick(rng, [5, 30, 60, 300])}s: OperationalError('server closed the connection unexpectedly')`);
      else out(head(e, level, 'MainProcess') + 'consumer: Connection to broker lost. Trying to re-establish the connection...');
      return;
    }
    const f = failure(rng, e.service);
    const short = f.error.slice(f.error.indexOf(': ') + 2);
    out(head(e, level, poolWorker(rng)) + `Task ${task}[${id}] raised unexpected: ${f.error.slice(0, f.error.indexOf(':')).split('.').pop()}(${JSON.stringify(short)})`);
    if (!burst && chance(rng, 0.2)) return;
    out('Traceback (most recent call last):');
    for (const [file, line, fn, code] of f.frames) {
      out(`  File "${file}", line ${line}, in ${fn}`);
      out(`    ${code}`);
    }
    out(f.error);
  },
  long(e, payload) {
    e.line(head(e, 'info', poolWorker(e.rng)) + `Task ledger.tasks.export_statement[${uuid(e.rng)}] succeeded in 2.104311s: '${payload}'`, 'stderr');
  },
};
