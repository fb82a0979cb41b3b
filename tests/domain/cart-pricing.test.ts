import { describe, expect, test } from '@jest/globals';
import { editCart } from '../../src/domain/cart/edit-cart.js';
import { lineFromAmount, priceLine, sumLines } from '../../src/domain/cart/price-line.js';

const bawang = { productId: 'BAWANG-MERAH', name: 'Bawang Merah', units: [{ code: 'kg', priceRp: 40_000 }, { code: 'ons', priceRp: 4_000 }] };
const beras = { productId: 'BERAS-MED', name: 'Beras Medium', units: [{ code: 'kg', priceRp: 13_500 }] };
const garam = { productId: 'GARAM', name: 'Garam', units: [{ code: 'bungkus', priceRp: 3_000 }] };
const minyak = { productId: 'MINYAKITA', name: 'MinyaKita', units: [{ code: 'liter', priceRp: 15_700 }] };

describe('pricing', () => {
  test.each([
    [beras, 'kg', 5, 67_500],
    [minyak, 'liter', 2, 31_400],
    [bawang, 'kg', 0.25, 10_000],
    [beras, 'kg', 0.1, 1_350],
    [minyak, 'liter', 0.333, 5_228],
  ])('%#: line totals are whole rupiah', (product, unit, quantity, total) => {
    const line = priceLine({ productId: product.productId, unit, quantity }, product);
    expect(line.lineTotalRp).toBe(total);
    expect(Number.isInteger(line.lineTotalRp)).toBe(true);
  });

  test('the done-when subtotal', () => {
    expect(sumLines([priceLine({ productId: 'BERAS-MED', unit: 'kg', quantity: 5 }, beras), priceLine({ productId: 'MINYAKITA', unit: 'liter', quantity: 2 }, minyak)])).toBe(98_900);
  });

  test('buying by money: measured units keep the amount as the line total', () => {
    const result = lineFromAmount(minyak, 10_000);
    expect(result).toEqual({ ok: true, line: { productId: 'MINYAKITA', unit: 'liter', quantity: 0.637, amountRp: 10_000 }, roundedDown: false });
    if (result.ok) expect(priceLine(result.line, minyak).lineTotalRp).toBe(10_000);
  });

  test('buying by money: countable units round down and report it', () => {
    expect(lineFromAmount(garam, 10_000)).toEqual({ ok: true, line: { productId: 'GARAM', unit: 'bungkus', quantity: 3 }, roundedDown: true });
    expect(lineFromAmount(garam, 9_000)).toMatchObject({ ok: true, roundedDown: false });
    expect(lineFromAmount(garam, 2_000)).toEqual({ ok: false, reason: 'amount_too_small', unit: 'bungkus', unitPriceRp: 3_000 });
  });

  test('a unit the product is not sold in is an error, not a guess', () => {
    expect(() => priceLine({ productId: 'BERAS-MED', unit: 'ikat', quantity: 1 }, beras)).toThrow('not sold');
  });
});

describe('editCart', () => {
  const cart = [
    { productId: 'BERAS-MED', unit: 'kg', quantity: 2 },
    { productId: 'TELUR', unit: 'butir', quantity: 5 },
  ];

  test('add merges the same product and unit, appends others', () => {
    expect(editCart(cart, 'add', { productId: 'TELUR', unit: 'butir', quantity: 5 })).toEqual([
      { productId: 'BERAS-MED', unit: 'kg', quantity: 2 },
      { productId: 'TELUR', unit: 'butir', quantity: 10 },
    ]);
    expect(editCart(cart, 'add', { productId: 'TELUR', unit: 'papan', quantity: 1 })).toHaveLength(3);
  });

  test('reduce subtracts and drops lines that reach zero', () => {
    expect(editCart(cart, 'reduce', { productId: 'TELUR', unit: 'butir', quantity: 2 })[1]).toEqual({ productId: 'TELUR', unit: 'butir', quantity: 3 });
    expect(editCart(cart, 'reduce', { productId: 'TELUR', unit: 'butir', quantity: 9 })).toEqual([cart[0]]);
    expect(editCart(cart, 'reduce', { productId: 'BERAS-MED', unit: 'kg', quantity: 0.5 })[0].quantity).toBe(1.5);
  });

  test('remove and replace', () => {
    expect(editCart(cart, 'remove', { productId: 'BERAS-MED', unit: 'kg', quantity: 1 })).toEqual([cart[1]]);
    // The new line takes the place of the one it replaces; a product not in the cart goes last.
    expect(editCart(cart, 'replace', { productId: 'BERAS-MED', unit: 'kg', quantity: 1 })).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 1 }, cart[1]]);
    expect(editCart(cart, 'replace', { productId: 'GULA', unit: 'kg', quantity: 1 })).toEqual([...cart, { productId: 'GULA', unit: 'kg', quantity: 1 }]);
  });

  test('does not change the cart it is given', () => {
    const copy = structuredClone(cart);
    editCart(cart, 'add', { productId: 'TELUR', unit: 'butir', quantity: 1 });
    expect(cart).toEqual(copy);
  });
});
