import { describe, expect, test } from '@jest/globals';
import { dynamicQris, qrisChecksum, readStaticQris } from '../../src/domain/payments/qris.js';

/** Builds a payload from fields and appends its checksum, the way a QRIS issuer prints one. */
function payloadOf(fields: Array<[string, string]>): string {
  const body = fields.map(([tag, value]) => tag + String(value.length).padStart(2, '0') + value).join('') + '6304';
  return body + qrisChecksum(body);
}

const STATIC = payloadOf([
  ['00', '01'],
  ['01', '11'],
  ['26', '0016ID.CO.EXAMPLE.WWW01189360000000000000010215ID10200000000010303UMI'],
  ['52', '5411'],
  ['53', '360'],
  ['58', 'ID'],
  ['59', 'KDMP WAY HALIM PERMAI'],
  ['60', 'BANDAR LAMPUNG'],
  ['61', '35132'],
]);

describe('QRIS', () => {
  test('the checksum is CRC-16/CCITT-FALSE (check value of "123456789" is 29B1)', () => {
    expect(qrisChecksum('123456789')).toBe('29B1');
    expect(qrisChecksum('')).toBe('FFFF');
  });

  test('a static payload is read; a changed character is caught by its checksum', () => {
    expect(readStaticQris(STATIC)).toEqual({ merchantName: 'KDMP WAY HALIM PERMAI' });
    const tampered = STATIC.replace('WAY HALIM', 'WAY HALIN');
    expect(() => readStaticQris(tampered)).toThrow(expect.objectContaining({ code: 'invalid_qris' }));
    expect(() => readStaticQris(STATIC.slice(0, -10))).toThrow(expect.objectContaining({ code: 'invalid_qris' }));
    expect(() => readStaticQris('hello')).toThrow(expect.objectContaining({ code: 'invalid_qris' }));
  });

  test('the dynamic payload carries the exact amount after the currency, marked dynamic, with a fresh checksum', () => {
    const dynamic = dynamicQris(STATIC, 17500);
    expect(dynamic.startsWith('000201010212')).toBe(true);
    expect(dynamic).toContain('5303360540517500');
    expect(qrisChecksum(dynamic.slice(0, -4))).toBe(dynamic.slice(-4));
    expect(readStaticQris(dynamic).merchantName).toBe('KDMP WAY HALIM PERMAI');
    // Made dynamic again for another total: the old amount is replaced, not added.
    const again = dynamicQris(dynamic, 98900);
    expect(again).toContain('54059890058');
    expect(again.match(/5405/g)).toHaveLength(1);
  });

  test('a non-positive or fractional amount is refused', () => {
    expect(() => dynamicQris(STATIC, 0)).toThrow(expect.objectContaining({ code: 'invalid_amount' }));
    expect(() => dynamicQris(STATIC, 10.5)).toThrow(expect.objectContaining({ code: 'invalid_amount' }));
  });
});
