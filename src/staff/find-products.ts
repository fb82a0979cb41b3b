import type { Models } from '../db/models/index.js';
import type { ProductDoc } from '../db/models/product.js';

/**
 * The products staff mean by a few words ("gula", "minyak goreng"): an exact name, alias or
 * catalogue id wins; otherwise every product whose name or alias contains the words.
 */
export async function findProducts(models: Models, coopId: string, text: string): Promise<ProductDoc[]> {
  const wanted = simplify(text);
  if (!wanted) return [];
  const products = await models.Product.find({ coopId, active: true }).lean<ProductDoc[]>();
  const names = (product: ProductDoc) => [product.name, product.productId, ...product.aliases].map(simplify);
  const exact = products.filter((product) => names(product).includes(wanted));
  if (exact.length > 0) return exact;
  return products.filter((product) => names(product).some((name) => name.includes(wanted)));
}

function simplify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}
