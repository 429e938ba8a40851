import { describe, expect, it } from 'vitest';
import { escapeRegex, wildcardRegex } from './regex-text';

describe('wildcardRegex', () => {
  it('escapes before mapping wildcards', () => {
    expect(wildcardRegex('a%b_c\\d*e?(')).toBe('a\\%b\\_c\\\\d.*e.\\(');
  });
});

describe('escapeRegex', () => {
  it('makes every ASCII punctuation character literal', () => {
    const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    expect(new RegExp(`^${escapeRegex(punctuation)}$`).test(punctuation)).toBe(true);
  });
});
