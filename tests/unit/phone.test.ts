import { expect, test } from '@jest/globals';
import { normalizePhone } from '../../src/channels/phone.js';

test.each([
  ['+6281200000002', '+6281200000002'],
  ['081200000002', '+6281200000002'],
  ['0812-0000-0002', '+6281200000002'],
  ['62 812 0000 0002', '+6281200000002'],
  ['+1 (500) 555-0006', '+15005550006'],
  ['12345', undefined],
  ['+62abc', undefined],
  ['', undefined],
  ['+0812345678', undefined],
])('normalizePhone(%j) = %j', (raw, expected) => {
  expect(normalizePhone(raw)).toBe(expected);
});
