import type { CartLine } from './cart-line.js';
import type { OrderItem } from '../../db/models/order.js';

export interface PricedUnit {
  code: string;
  priceRp: number;
}

export interface PricedProduct {
  productId: string;
  name: string;
  units: PricedUnit[];
}

/** A cart line at today's price: exactly what an order stores as an item. */
export type PricedLine = OrderItem;

/** Units sold by measure: buying by money gives a fractional quantity of these. */
export const MEASURED_UNITS: ReadonlySet<string> = new Set(['kg', 'gram', 'g', 'ons', 'liter', 'l', 'ml']);

export function isMeasuredUnit(code: string): boolean {
  return MEASURED_UNITS.has(code.toLowerCase());
}

/** Rounds a quantity to 3 decimals (grams, millilitres) without float noise. */
export function roundQuantity(quantity: number): number {
  return Math.round(quantity * 1000) / 1000;
}

/** Prices one cart line against the product's current unit prices. Throws when the unit is gone. */
export function priceLine(line: CartLine, product: PricedProduct): PricedLine {
  const unit = product.units.find((candidate) => candidate.code === line.unit);
  if (!unit) throw new Error(`Unit ${line.unit} is not sold for ${product.productId}`);
  const lineTotalRp = line.amountRp ?? Math.round(line.quantity * unit.priceRp);
  return {
    productId: product.productId,
    name: product.name,
    unit: unit.code,
    quantity: line.quantity,
    unitPriceRp: unit.priceRp,
    lineTotalRp,
  };
}

export type MoneyLineResult =
  | { ok: true; line: CartLine; roundedDown: boolean }
  | { ok: false; reason: 'amount_too_small'; unit: string; unitPriceRp: number };

/**
 * Turns "minyak 10 ribu" into a cart line. Measured units: the amount is the line total
 * and the quantity follows (3 decimals). Countable units: whole units only, rounded down.
 */
export function lineFromAmount(product: PricedProduct, amountRp: number): MoneyLineResult {
  const unit = product.units.find((candidate) => isMeasuredUnit(candidate.code)) ?? product.units[0];
  if (isMeasuredUnit(unit.code)) {
    const quantity = roundQuantity(amountRp / unit.priceRp);
    if (quantity <= 0) return { ok: false, reason: 'amount_too_small', unit: unit.code, unitPriceRp: unit.priceRp };
    return { ok: true, line: { productId: product.productId, unit: unit.code, quantity, amountRp }, roundedDown: false };
  }
  const quantity = Math.floor(amountRp / unit.priceRp);
  if (quantity < 1) return { ok: false, reason: 'amount_too_small', unit: unit.code, unitPriceRp: unit.priceRp };
  return {
    ok: true,
    line: { productId: product.productId, unit: unit.code, quantity },
    roundedDown: quantity * unit.priceRp !== amountRp,
  };
}

/** Sum of line totals; every term is a whole rupiah so the sum is too. */
export function sumLines(lines: { lineTotalRp: number }[]): number {
  return lines.reduce((total, line) => total + line.lineTotalRp, 0);
}
