import { describe, expect, test } from '@jest/globals';
import { checkPinHash, hashPin } from '../../src/domain/members/pin-hash.js';
import { zonedDayStart } from '../../src/domain/time/zoned-day-start.js';

describe('PIN hashing', () => {
  test('scrypt with a random salt; only the right PIN matches', async () => {
    const first = await hashPin('1234');
    const second = await hashPin('1234');
    expect(first).toMatch(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('1234');
    await expect(checkPinHash('1234', first)).resolves.toBe(true);
    await expect(checkPinHash('1235', first)).resolves.toBe(false);
    await expect(checkPinHash('1234', 'md5$x$y')).rejects.toThrow('format');
  });
});

describe('zonedDayStart', () => {
  test.each([
    ['2026-11-29T03:00:00Z', 'Asia/Jakarta', '2026-11-28T17:00:00.000Z'],
    ['2026-11-29T16:59:59Z', 'Asia/Jakarta', '2026-11-28T17:00:00.000Z'],
    ['2026-11-29T17:00:00Z', 'Asia/Jakarta', '2026-11-29T17:00:00.000Z'],
    ['2026-11-29T03:00:00Z', 'Asia/Jayapura', '2026-11-28T15:00:00.000Z'],
  ])('%s in %s starts at %s', (at, zone, start) => {
    expect(zonedDayStart(new Date(at), zone).toISOString()).toBe(start);
  });
});
