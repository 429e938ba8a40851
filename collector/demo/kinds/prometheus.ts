// Prometheus 3, logging through slog's text handler to stderr: logfmt again, but with upper-case
// levels and `source=`, so level extraction cannot assume one spelling.

import { isoMillis } from '../time-text';
import { chance, int, pick, type Rng } from '../rng';
import type { Emit, KindWriter, Level } from './emit';
import { podIp } from './traffic';

/** ULIDs use Crockford's base32: no I, L, O or U. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function ulid(rng: Rng): string {
  let s = '01J';
  for (let i = 0; i < 23; i++) s += CROCKFORD[(rng() * 32) | 0];
  return s;
}

function head(e: Emit, level: Level, source: string, msg: string): string {
  return `time=${isoMillis(e.ts)} level=${level.toUpperCase()} source=${source} msg="${msg}"`;
}

export const prometheus: KindWriter = {
  hasDebug: true,
  event(e, level) {
    const rng = e.rng;
    const out = (text: string) => e.line(text, 'stderr');
    const target = `http://${podIp(rng)}:${pick(rng, [8080, 9090, 9187, 3000])}/metrics`;
    if (level === 'debug') {
      out(`${head(e, level, 'scrape.go:1312', 'Scrape loop started')} component="scrape manager" scrape_pool=kubernetes-pods target=${target}`);
    } else if (level === 'warn') {
      out(`${head(e, level, 'scrape.go:1897', 'Error on ingesting samples with different value but same timestamp')} component="scrape manager" scrape_pool=kubernetes-pods target=${target} num_dropped=${int(rng, 1, 20)}`);
    } else if (level === 'error') {
      const am = `http://10.244.2.${int(rng, 2, 254)}:9093/api/v2/alerts`;
      out(`${head(e, level, 'notifier.go:650', 'Error sending alert')} component=notifier alertmanager=${am} count=${int(rng, 1, 9)} err="Post \\"${am}\\": context deadline exceeded"`);
    } else if (chance(rng, 0.5)) {
      out(`${head(e, level, 'head.go:1363', 'Head GC completed')} component=tsdb caller=truncateMemory duration=${(rng() * 40).toFixed(3)}ms`);
    } else {
      out(`${head(e, level, 'compact.go:575', 'write block')} component=tsdb mint=${e.ts - 7_200_000} maxt=${e.ts} ulid=${ulid(rng)} duration=${(rng() * 2).toFixed(3)}s ooo=false`);
    }
  },
};
