import { describe, expect, test } from '@jest/globals';
import { resolveUnit } from '../../src/language/units.js';

describe('resolveUnit: a piece is never a container of many', () => {
  test.each([
    // Eggs sold by kg and tray only: five eggs are not five trays (Rp260.000 for five eggs).
    [['kg', 'papan'], 'butir', 5, { ok: false, unit: 'butir', quantity: 5 }],
    [['kg', 'papan'], 'lusin', 1, { ok: false, unit: 'lusin', quantity: 1 }],
    [['kg', 'butir', 'papan'], 'butir', 5, { ok: true, unit: 'butir', quantity: 5 }],
    [['kg', 'butir', 'papan'], 'papan', 1, { ok: true, unit: 'papan', quantity: 1 }],
    [['kg', 'butir', 'papan'], 'lusin', 1, { ok: true, unit: 'butir', quantity: 12 }],
    // Noodles by the pack or the box: a piece is a pack.
    [['dus', 'bungkus'], 'pcs', 3, { ok: true, unit: 'bungkus', quantity: 3 }],
    [['renceng', 'sachet'], 'pcs', 2, { ok: true, unit: 'sachet', quantity: 2 }],
    [['renceng'], 'pcs', 2, { ok: false, unit: 'pcs', quantity: 2 }],
  ])('%j asked in %s x%d', (codes, unit, quantity, expected) => {
    expect(resolveUnit(codes as string[], unit as string, quantity as number)).toEqual(expected);
  });
});
