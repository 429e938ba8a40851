// Built-in users' passwords, stored as scrypt hashes in a PHC-like string:
//   $scrypt$N=16384,r=8,p=1$<salt, base64>$<hash, base64>
// scrypt is in Node's crypto, so no native dependency; `npm run hash-password` makes one.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, length, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

const FORMAT = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;
const DEFAULTS = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;
// scrypt needs 128·N·r bytes; Node refuses more than maxmem, so allow what a stored hash asks for.
const MAX_MEMORY = 256 * 1024 * 1024;

export interface PasswordHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

export function parsePasswordHash(text: string): PasswordHash | undefined {
  const match = FORMAT.exec(text);
  if (!match) return undefined;
  const [N, r, p] = [match[1], match[2], match[3]].map(Number);
  if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1 || 128 * N * r > MAX_MEMORY) return undefined;
  return { N, r, p, salt: Buffer.from(match[4], 'base64'), hash: Buffer.from(match[5], 'base64') };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_BYTES, { ...DEFAULTS, maxmem: MAX_MEMORY });
  return `$scrypt$N=${DEFAULTS.N},r=${DEFAULTS.r},p=${DEFAULTS.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const { N, r, p, salt, hash } = stored;
  const key = await scrypt(password, salt, hash.length, { N, r, p, maxmem: MAX_MEMORY });
  return timingSafeEqual(key, hash);
}
