import { Writable } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { createLogger, maskPhone, maskPhonesIn } from '../../src/logger.js';

describe('phone masking', () => {
  test.each([
    ['+6281234567890', '+62812****7890'],
    ['+6281200000001', '+62812****0001'],
    ['081234567890', '081234****7890'],
    ['+62 812-3456-7890', '+62812****7890'],
    ['12345', '****'],
  ])('maskPhone(%s) = %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  test('masks numbers inside text', () => {
    expect(maskPhonesIn('order from +6281234567890 to 081298765432')).toBe('order from +62812****7890 to 081298****5432');
  });

  test('the logger masks phone fields', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'info', pretty: false }, sink);
    logger.info({ phone: '+6281234567890', from: '+6281200000002' }, 'hello');
    logger.error({ err: new Error('E11000 duplicate key error dup key: { phone: "+6281299998888" }', { cause: new Error('from +6281277776666') }) }, 'failed');
    const output = lines.join('');
    expect(output).toContain('+62812****7890');
    expect(output).toContain('+62812****0002');
    expect(output).toContain('+62812****8888');
    expect(output).toContain('duplicate key error');
    for (const full of ['6281234567890', '6281200000002', '6281299998888', '6281277776666']) expect(output).not.toContain(full);
  });
});
