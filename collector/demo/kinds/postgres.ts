// PostgreSQL logging to stderr with `log_line_prefix = '%m [%p] '`: errors are followed by their
// DETAIL and STATEMENT lines, and autovacuum reports continue on tab-indented physical lines.

import { millis3, secondParts } from '../time-text';
import { chance, int, pick } from '../rng';
import type { Emit, KindWriter } from './emit';
import { podIp } from './traffic';

function prefix(e: Emit, pid: number): string {
  const p = secondParts(e.ts);
  return `${p.date} ${p.time}.${millis3(e.ts)} UTC [${pid}] `;
}

export const postgres: KindWriter = {
  hasDebug: true,
  event(e, level, burst) {
    const rng = e.rng;
    const pid = int(rng, 100, 32_000);
    const out = (text: string) => e.line(prefix(e, pid) + text, 'stderr');
    if (level === 'debug') {
      out(`LOG:  automatic vacuum of table "ledger.public.ledger_entries": index scans: ${int(rng, 0, 2)}`);
      e.line(`\tpages: 0 removed, ${int(rng, 1000, 9000)} remain, ${int(rng, 10, 900)} scanned (${(rng() * 20).toFixed(2)}% of total)`, 'stderr');
      e.line(`\ttuples: ${int(rng, 0, 2000)} removed, ${int(rng, 50_000, 200_000)} remain, 0 are dead but not yet removable`, 'stderr');
      e.line(`\tavg read rate: ${(rng() * 10).toFixed(3)} MB/s, avg write rate: ${(rng() * 5).toFixed(3)} MB/s`, 'stderr');
      return;
    }
    if (level === 'info') {
      const which = rng();
      if (which < 0.45) out(`LOG:  connection received: host=${podIp(rng)} port=${int(rng, 32768, 60999)}`);
      else if (which < 0.9) out(`LOG:  connection authorized: user=${pick(rng, ['ledger', 'ledger', 'grafana'])} database=ledger application_name=${pick(rng, ['celery', 'psql', 'grafana'])} SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)`);
      else if (which < 0.95) out('LOG:  checkpoint starting: time');
      else out(`LOG:  checkpoint complete: wrote ${int(rng, 100, 4000)} buffers (${(rng() * 20).toFixed(1)}%); 0 WAL file(s) added, 0 removed, 1 recycled; write=269.${int(rng, 100, 999)} s, sync=0.004 s, total=269.873 s`);
      return;
    }
    if (level === 'warn') {
      if (chance(rng, 0.6)) out(`LOG:  duration: ${int(rng, 1000, 9000)}.${int(rng, 100, 999)} ms  statement: SELECT e.id, e.amount, e.currency FROM ledger_entries e WHERE e.account_id = ${int(rng, 1, 5000)} ORDER BY e.created_at DESC LIMIT 50`);
      else out('WARNING:  there is no transaction in progress');
      return;
    }
    if (burst && chance(rng, 0.6)) {
      out('FATAL:  sorry, too many clients already');
      return;
    }
    if (chance(rng, 0.7)) {
      const id = int(rng, 100_000, 999_999);
      out('ERROR:  duplicate key value violates unique constraint "ledger_entries_pkey"');
      out(`DETAIL:  Key (id)=(${id}) already exists.`);
      out(`STATEMENT:  INSERT INTO ledger_entries (id, account_id, amount, currency) VALUES (${id}, ${int(rng, 1, 5000)}, ${(rng() * 500).toFixed(2)}, 'EUR')`);
    } else {
      out('FATAL:  password authentication failed for user "grafana"');
      out('DETAIL:  Connection matched file "/var/lib/postgresql/data/pg_hba.conf" line 128: "host all all all scram-sha-256"');
    }
  },
};
