// Source and file ids on ClickHouse. Several servers write at once and share no counter, so an
// id is derived from what it names: the first 53 bits of a SHA-256 of the source key (and the file
// key), the most a JSON number carries exactly. Two names meet on one id with a chance of about
// n² / 2⁵⁴ — one in 18,000 with a million file generations — and a collision would make the later
// file's lines look stored already, so the ids are wide rather than short.
import { createHash } from 'node:crypto';

export function sourceIdOf(sourceKey: string): number {
  return idOf(`source\0${sourceKey}`);
}

export function fileIdOf(sourceKey: string, fileKey: string): number {
  // Length-prefixed: no two (source, file) pairs make one text, whatever characters they hold.
  return idOf(`file\0${sourceKey.length}\0${sourceKey}\0${fileKey}`);
}

function idOf(text: string): number {
  const digest = createHash('sha256').update(text).digest();
  // 21 + 32 bits; never 0, which no DuckDB id is either.
  const id = (digest.readUInt32BE(0) & 0x1fffff) * 2 ** 32 + digest.readUInt32BE(4);
  return id === 0 ? 1 : id;
}
