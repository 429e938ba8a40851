// Seeded randomness for the demo logs and the benchmark corpus. Everything they write is a pure
// function of a seed and a time span, so a test or a benchmark run can be repeated byte for byte.

/** A generator of floats in [0, 1). */
export type Rng = () => number;

/** mulberry32: one 32-bit state word, fast, and plenty random for fake logs (not for secrets). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * FNV-1a over the parts. Deriving one seed per (seed, container, window) keeps the streams
 * independent: adding a container or changing a window does not shift every other stream.
 */
export function hashSeed(...parts: ReadonlyArray<string | number>): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = String(part);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    // A separator, so that ('ab', 'c') and ('a', 'bc') differ.
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[(rng() * items.length) | 0];
}

/** Favours the first items, as traffic favours hot endpoints, popular products and busy users. */
export function pickSkewed<T>(rng: Rng, items: readonly T[]): T {
  return items[(rng() * rng() * items.length) | 0];
}

/** An integer in [min, max], both inclusive. */
export function int(rng: Rng, min: number, max: number): number {
  return min + ((rng() * (max - min + 1)) | 0);
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `length` lowercase hex digits. Hot (trace and request ids), hence the table. */
export function hex(rng: Rng, length: number): string {
  let s = '';
  while (s.length < length) {
    const x = (rng() * 4294967296) >>> 0;
    s += HEX_PAIRS[x >>> 24] + HEX_PAIRS[(x >>> 16) & 255] + HEX_PAIRS[(x >>> 8) & 255] + HEX_PAIRS[x & 255];
  }
  return s.length === length ? s : s.slice(0, length);
}
