import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../errors';
import { isLoopback, peerAddress } from '../http/peer';

/**
 * With LOGPOND_INGEST_TOKEN set, a batch needs `Authorization: Bearer <token>`; unset, only
 * loopback callers may ingest (the laptop setup, where the collector runs beside the server).
 */
export function authorizeIngest(headers: Headers, token: string | undefined): void {
  if (token === undefined) {
    if (isLoopback(peerAddress(headers))) return;
    throw new UnauthorizedError('LOGPOND_INGEST_TOKEN is unset, so only loopback callers may ingest');
  }
  const match = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '');
  if (!match || !sameSecret(match[1].trim(), token)) throw new UnauthorizedError();
}

function sameSecret(given: string, expected: string): boolean {
  // Compare digests so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
