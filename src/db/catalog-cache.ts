import type { Models } from './models/index.js';
import { createCatalog } from '../language/catalog.js';
import type { CatalogProduct } from '../language/types.js';
import type { Facts } from '../engine/facts.js';

/** Catalogues are rebuilt at most this often per coop (prices change rarely, matching is costly). */
const CATALOG_TTL_MS = 60_000;

export interface CatalogCache {
  get(coopId: string, now: Date): Promise<Facts['catalog']>;
  invalidate(coopId?: string): void;
}

export function createCatalogCache(models: Models): CatalogCache {
  const entries = new Map<string, { loadedAt: number; catalog: Facts['catalog'] }>();
  return {
    async get(coopId, now) {
      const cached = entries.get(coopId);
      if (cached && now.getTime() - cached.loadedAt < CATALOG_TTL_MS && now.getTime() >= cached.loadedAt) return cached.catalog;
      const docs = await models.Product.find({ coopId, active: true }).sort({ _id: 1 }).lean();
      const products: CatalogProduct[] = docs.map((doc) => ({
        id: doc.productId,
        name: doc.name,
        aliases: doc.aliases,
        category: doc.category,
        units: doc.units.map(({ code, priceRp }) => ({ code, priceRp })),
      }));
      const catalog = { products, index: createCatalog(products) };
      entries.set(coopId, { loadedAt: now.getTime(), catalog });
      return catalog;
    },
    invalidate(coopId) {
      if (coopId) entries.delete(coopId);
      else entries.clear();
    },
  };
}
