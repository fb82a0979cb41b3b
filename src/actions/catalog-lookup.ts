import type { CartLine } from '../domain/cart/cart-line.js';
import { priceLine, sumLines, type PricedLine, type PricedProduct } from '../domain/cart/price-line.js';
import type { Facts } from '../engine/facts.js';
import type { CatalogProduct } from '../language/types.js';

export function findProduct(facts: Facts, productId: string): CatalogProduct | undefined {
  return facts.catalog.index.byId.get(productId);
}

export function toPricedProduct(product: CatalogProduct): PricedProduct {
  return { productId: product.id, name: product.name, units: product.units };
}

/** Categories in catalogue order, each once. */
export function listCategories(facts: Facts): string[] {
  return [...new Set(facts.catalog.products.map((product) => product.category))];
}

export function productsInCategory(facts: Facts, category: string): CatalogProduct[] {
  return facts.catalog.products.filter((product) => product.category === category);
}

export interface CartTotals {
  lines: PricedLine[];
  subtotalRp: number;
  deliveryFeeRp: number;
  totalRp: number;
}

/** Prices the cart at catalogue prices (the order transaction re-prices from the database). */
export function priceCart(cart: CartLine[], facts: Facts, fulfilment?: unknown): CartTotals {
  const lines = cart.flatMap((line) => {
    const product = findProduct(facts, line.productId);
    return product ? [priceLine(line, toPricedProduct(product))] : [];
  });
  const subtotalRp = sumLines(lines);
  const deliveryFeeRp = fulfilment === 'delivery' ? facts.coop.settings.delivery.feeRp : 0;
  return { lines, subtotalRp, deliveryFeeRp, totalRp: subtotalRp + deliveryFeeRp };
}
