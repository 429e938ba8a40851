import { describe, expect, it } from 'vitest';
import { numberText } from './field-item';

describe('numberText', () => {
  it('keeps small values from reading as 0, and rounds the rest to two decimals', () => {
    expect(numberText(0.0034, 'en-US')).toBe('0.0034');
    expect(numberText(0.000123456, 'en-US')).toBe('0.000123');
    expect(numberText(-0.25, 'en-US')).toBe('-0.25');
    expect(numberText(12.3456, 'en-US')).toBe('12.35');
    expect(numberText(1234567, 'en-US')).toBe('1,234,567');
  });
});
