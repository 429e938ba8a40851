import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../errors';
import { isLoopback, peerAddress } from '../http/peer';

/**
 * With LOGPOND_INGEST_TOKEN set, a batch needs `Authorization: Bearer <token>`, or HTTP basic auth
 * with the token as the password (what Loki and OTLP clients are commonly configured to send; the
 * user name is not checked); unset, only loopback callers may ingest (the laptop setup, where the
 * collector runs beside the server).
 */
export function authorizeIngest(headers: Headers, token: string | undefined): void {
  if (token === undefined) {
    if (isLoopback(peerAddress(headers))) return;
    throw new UnauthorizedError('LOGPOND_INGEST_TOKEN is unset, so only loopback callers may ingest');
  }
  const authorization = headers.get('authorization') ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization);
  if (bearer && sameSecret(bearer[1].trim(), token)) return;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (basic) {
    const credentials = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = credentials.indexOf(':');
    if (colon >= 0 && sameSecret(credentials.slice(colon + 1), token)) return;
  }
  throw new UnauthorizedError('a valid bearer token, or basic auth with the ingest token as its password, is required');
}

function sameSecret(given: string, expected: string): boolean {
  // Compare digests so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
