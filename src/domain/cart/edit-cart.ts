import type { CartLine } from './cart-line.js';
import { roundQuantity } from './price-line.js';

export type CartEdit = 'add' | 'remove' | 'reduce' | 'replace';

/**
 * Applies one requested line to a cart and returns the new cart (the input is not changed).
 * add merges with a line of the same product and unit; replace drops every line of the
 * product and puts the new one where the first was; reduce subtracts and drops lines that reach zero; remove drops the product.
 */
export function editCart(cart: readonly CartLine[], edit: CartEdit, line: CartLine): CartLine[] {
  const others = cart.filter((existing) => existing.productId !== line.productId);
  const same = cart.filter((existing) => existing.productId === line.productId);
  switch (edit) {
    case 'remove':
      return others;
    case 'replace': {
      // In the place of the line it replaces, so the cart keeps the order it was written in.
      const at = cart.findIndex((existing) => existing.productId === line.productId);
      if (at < 0) return [...others, { ...line }];
      const next = others.map((existing) => ({ ...existing }));
      next.splice(cart.slice(0, at).filter((existing) => existing.productId !== line.productId).length, 0, { ...line });
      return next;
    }
    case 'reduce': {
      // Reduce the line in the asked unit; if that unit is not in the cart, the product's first line.
      const target = same.find((existing) => existing.unit === line.unit) ?? same[0];
      if (!target) return cart.map((existing) => ({ ...existing }));
      const next: CartLine[] = [];
      for (const existing of cart) {
        if (existing !== target) {
          next.push({ ...existing });
          continue;
        }
        const quantity = roundQuantity(existing.quantity - line.quantity);
        if (quantity > 0) next.push({ productId: existing.productId, unit: existing.unit, quantity });
      }
      return next;
    }
    case 'add': {
      const match = same.find((existing) => existing.unit === line.unit);
      if (!match) return [...cart.map((existing) => ({ ...existing })), { ...line }];
      return cart.map((existing) => {
        if (existing !== match) return { ...existing };
        const merged: CartLine = { productId: existing.productId, unit: existing.unit, quantity: roundQuantity(existing.quantity + line.quantity) };
        if (existing.amountRp !== undefined && line.amountRp !== undefined) merged.amountRp = existing.amountRp + line.amountRp;
        return merged;
      });
    }
  }
}
