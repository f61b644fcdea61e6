import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../src/index.js';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['16Gi', 16 * 2 ** 30],
    ['512Mi', 512 * 2 ** 20],
    ['1G', 1e9],
    ['1e3', 1000],
  ])('reads %s', (q, n) => {
    expect(parseQuantity(q)).toBe(n);
  });

  it.each(['', 'two', '16GB', '-1', '1.2.3'])('rejects %j', (q) => {
    expect(parseQuantity(q)).toBeUndefined();
  });
});
