// Who is calling. Next.js route handlers do not see the socket, and X-Forwarded-For is whatever
// the client wrote, so Logpond's own HTTP server (scripts/server.mjs) stamps every request with
// the socket's address behind a per-process secret. Without that stamp (e.g. plain `next start`)
// no caller counts as loopback.

export const PEER_HEADER = 'x-logpond-peer';
const NONCE_KEY = Symbol.for('logpond.peerNonce');

export function peerNonce(): string | undefined {
  return (globalThis as Record<symbol, string | undefined>)[NONCE_KEY];
}

/** The socket address of the caller, when Logpond's server vouched for it. */
export function peerAddress(headers: Headers): string | undefined {
  const nonce = peerNonce();
  const value = headers.get(PEER_HEADER);
  if (!nonce || !value) return undefined;
  const [given, address] = value.split(' ', 2);
  return given === nonce ? address : undefined;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
