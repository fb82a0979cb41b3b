import type { ProductDoc } from '../../db/models/product.js';
import { roundQuantity } from '../cart/price-line.js';

/** Quantity of the product's stock unit that a line uses. */
export function stockUsed(item: { unit: string; quantity: number }, product: Pick<ProductDoc, 'units'>): number {
  const factor = product.units.find((unit) => unit.code === item.unit)?.stockFactor ?? 1;
  return roundQuantity(item.quantity * factor);
}
