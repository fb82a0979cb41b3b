import { beforeAll, describe, expect, test } from '@jest/globals';
import { measureGsm7, toGsm7 } from '../../src/engine/render/gsm7.js';
import { renderReplies } from '../../src/engine/render/render-replies.js';
import type { Locales } from '../../src/i18n/load-locales.js';
import { loadShippedFlows } from './engine-fixtures.js';

let locales: Locales;
beforeAll(async () => {
  ({ locales } = await loadShippedFlows());
});

describe('GSM-7', () => {
  test.each([
    ['Rp98.900', 8],
    ['a{b}', 6],
    ['€', 2],
  ])('%s takes %i septets', (text, septets) => {
    expect(measureGsm7(text)).toBe(septets);
  });

  test('characters outside the alphabet are reported and rewritten', () => {
    expect(measureGsm7('🛒 Keranjang')).toBeUndefined();
    expect(toGsm7('🛒 “Keranjang” – 2 × Rp5.000…')).toBe(' "Keranjang" - 2 x Rp5.000...');
    expect(measureGsm7(toGsm7('Café ñ ő ✅'))).toBeDefined();
  });
});

describe('renderReplies', () => {
  const reply = {
    key: 'order:cart',
    params: {
      lines: { list: [{ key: 'order:cart_line', params: { name: 'Bawang Merah', qty: { qty: 0.25 }, unit: 'kg', price: { money: 40_000 }, total: { money: 10_000 } } }] },
      subtotal: { money: 10_000 },
    },
  };

  test('WhatsApp keeps *bold*, money as Rp, decimals the Indonesian way', () => {
    const [text] = renderReplies([reply], { i18n: locales.i18n, language: 'id', channel: 'whatsapp', timeZone: 'Asia/Jakarta' });
    expect(text).toBe('🛒 *Keranjang Anda*\n- Bawang Merah 0,25 kg = Rp10.000\n*Subtotal: Rp10.000*');
  });

  test('English uses a decimal point', () => {
    const [text] = renderReplies([reply], { i18n: locales.i18n, language: 'en', channel: 'whatsapp', timeZone: 'Asia/Jakarta' });
    expect(text).toContain('Bawang Merah 0.25 kg = Rp10.000');
  });

  test('SMS drops bold markers and emoji', () => {
    const [text] = renderReplies([reply], { i18n: locales.i18n, language: 'id', channel: 'sms', timeZone: 'Asia/Jakarta' });
    expect(text).toBe('Keranjang Anda\n- Bawang Merah 0,25 kg = Rp10.000\nSubtotal: Rp10.000');
    expect(measureGsm7(text)).toBeDefined();
  });

  test('times are shown in WIB and joined replies share one message', () => {
    const texts = renderReplies(
      [
        { key: 'status:order_line', params: { number: 1001, status: { t: 'status:resident_state.new' }, total: { money: 98_900 }, placed: { time: new Date('2026-11-29T17:30:00Z') }, items: 'Gula Pasir 2 kg' } },
        { key: 'status:none', join: true },
      ],
      { i18n: locales.i18n, language: 'id', channel: 'whatsapp', timeZone: 'Asia/Jakarta' },
    );
    expect(texts).toHaveLength(1);
    expect(texts[0].split('\n').slice(0, 2)).toEqual(['#1001 30 Nov 00.30 WIB: *menunggu konfirmasi*, Rp98.900', '  Gula Pasir 2 kg']);
  });
});
