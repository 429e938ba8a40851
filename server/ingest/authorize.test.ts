import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PEER_HEADER } from '../http/peer';
import { authorizeIngest } from './authorize';

const NONCE_KEY = Symbol.for('logpond.peerNonce');
const holder = globalThis as Record<symbol, string | undefined>;

beforeEach(() => {
  holder[NONCE_KEY] = 'server-secret';
});
afterEach(() => {
  delete holder[NONCE_KEY];
});

const from = (address: string, nonce = 'server-secret', extra: Record<string, string> = {}) =>
  new Headers({ [PEER_HEADER]: `${nonce} ${address}`, ...extra });

describe('authorizeIngest without LOGPOND_INGEST_TOKEN', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('lets loopback caller %s in', (address) => {
    expect(() => authorizeIngest(from(address), undefined)).not.toThrow();
  });

  it.each(['10.0.0.7', '192.168.1.20', '::ffff:10.1.2.3', 'fe80::1'])('refuses %s', (address) => {
    expect(() => authorizeIngest(from(address), undefined)).toThrow(
      'LOGPOND_INGEST_TOKEN is unset, so only loopback callers may ingest',
    );
  });

  it('refuses a loopback stamp that the server did not write', () => {
    expect(() => authorizeIngest(from('127.0.0.1', 'guessed'), undefined)).toThrow('only loopback callers');
    delete holder[NONCE_KEY]; // plain `next start`: no stamp is trusted at all
    expect(() => authorizeIngest(from('127.0.0.1'), undefined)).toThrow('only loopback callers');
  });
});

describe('authorizeIngest with LOGPOND_INGEST_TOKEN', () => {
  it('wants the bearer token, from loopback too', () => {
    expect(() => authorizeIngest(from('127.0.0.1'), 's3cret')).toThrow('a valid bearer token');
    expect(() => authorizeIngest(from('10.0.0.7', 'x', { authorization: 'Bearer nope' }), 's3cret')).toThrow('a valid bearer token');
    expect(() => authorizeIngest(from('10.0.0.7', 'x', { authorization: 'Bearer s3cret' }), 's3cret')).not.toThrow();
  });
});

describe('authorizeIngest with basic auth (Loki and OTLP shippers)', () => {
  const basic = (credentials: string) => ({ authorization: `Basic ${Buffer.from(credentials).toString('base64')}` });

  it('takes the token as the password, whatever the user name', () => {
    expect(() => authorizeIngest(from('10.0.0.7', 'x', basic('logpond:s3cret')), 's3cret')).not.toThrow();
    expect(() => authorizeIngest(from('10.0.0.7', 'x', basic(':s3cret')), 's3cret')).not.toThrow();
  });

  it('refuses a wrong password, the token as the user name, and a token with a colon cut wrongly', () => {
    expect(() => authorizeIngest(from('10.0.0.7', 'x', basic('logpond:nope')), 's3cret')).toThrow('basic auth with the ingest token');
    expect(() => authorizeIngest(from('10.0.0.7', 'x', basic('s3cret:')), 's3cret')).toThrow('basic auth with the ingest token');
    expect(() => authorizeIngest(from('10.0.0.7', 'x', basic('s3cret')), 's3cret')).toThrow('basic auth with the ingest token');
    expect(() => authorizeIngest(from('10.0.0.7', 'x', basic('u:a:b')), 'a:b')).not.toThrow();
  });
});
