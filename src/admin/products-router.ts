import { Router } from 'express';
import { z } from 'zod';
import type { Models } from '../db/models/index.js';
import type { ProductDoc } from '../db/models/product.js';
import { adjustStock } from '../domain/products/adjust-stock.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse-input.js';
import { principalOf, requireOneCoop, requirePermission, scopeCoop } from './admin-principal.js';
import { answerRefusal } from './answer-refusal.js';
import { describePrincipal } from './tokens-router.js';

const productId = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'must be upper-case letters, digits and dashes, such as GULA or BERAS-PREMIUM');
const unit = z.strictObject({
  code: z.string().trim().min(1).max(20),
  priceRp: z.number().int('must be whole rupiah').min(0).max(100_000_000),
  /** How many stock units one of this unit uses (1 for the stock unit itself). */
  stockFactor: z.number().positive().max(10_000).default(1),
});
const productFields = {
  name: z.string().trim().min(1).max(100),
  aliases: z.array(z.string().trim().min(1).max(60)).max(20),
  category: z.string().trim().min(1).max(60),
  units: z.array(unit).min(1).max(10),
  active: z.boolean(),
  lowStockAt: z.number().min(0).max(1e9),
  distributor: z.string().trim().min(1).max(100),
};
const coopField = { coop: z.string().max(100).optional() };
const listQuery = z.strictObject({ ...coopField, category: z.string().max(60).optional(), active: z.enum(['true', 'false']).optional() });
const createBody = z
  .strictObject({ ...coopField, productId, ...productFields, aliases: productFields.aliases.default([]), active: productFields.active.default(true), lowStockAt: productFields.lowStockAt.optional(), distributor: productFields.distributor.optional(), stockUnit: z.string().trim().min(1).max(20), stock: z.number().min(0).max(1e9).default(0) })
  .refine((body) => body.units.some((candidate) => candidate.code === body.stockUnit), 'stockUnit: must be one of the units');
const patchBody = z
  .strictObject({ ...coopField, name: productFields.name.optional(), aliases: productFields.aliases.optional(), category: productFields.category.optional(), units: productFields.units.optional(), active: productFields.active.optional(), lowStockAt: productFields.lowStockAt.optional(), distributor: productFields.distributor.optional() })
  .refine((body) => Object.keys(body).some((key) => key !== 'coop'), 'nothing to change');
const stockBody = z.strictObject({ ...coopField, mode: z.enum(['set', 'add', 'subtract']), quantity: z.number().min(0).max(1e9), reason: z.string().trim().min(1).max(200) });

/**
 * The catalogue: GET/POST /admin/api/products, PATCH /admin/api/products/:productId (prices
 * per unit, names, active), POST /admin/api/products/:productId/stock {mode, quantity, reason}.
 * A change reaches residents at once: the chat's cached catalogue is dropped.
 */
export function createProductsRouter(models: Models, onCatalogChanged: (coopId: string) => void, clock: () => Date): Router {
  const router = Router();
  router.get('/products', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'products:read');
    const query = parseInput(listQuery, req.query, 'invalid_query');
    const filter: Record<string, unknown> = {};
    const coopId = await scopeCoop(models, principal, query.coop);
    if (coopId) filter.coopId = coopId;
    if (query.category) filter.category = query.category;
    if (query.active) filter.active = query.active === 'true';
    const products = await models.Product.find(filter).sort({ category: 1, name: 1 }).limit(1000).lean<ProductDoc[]>();
    res.json({ products: products.map(presentProduct) });
  });

  router.post('/products', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'products:manage');
    const { coop, ...body } = parseInput(createBody, req.body ?? {}, 'invalid_body');
    const coopId = await requireOneCoop(models, principal, coop);
    if (await models.Product.exists({ coopId, productId: body.productId })) throw new HttpError(409, 'product_exists', `Product ${body.productId} exists`);
    const units = body.units.map((candidate) => ({ ...candidate, stockFactor: candidate.code === body.stockUnit ? 1 : candidate.stockFactor }));
    const created = await models.Product.create({ coopId, ...body, units });
    onCatalogChanged(coopId);
    res.status(201).json({ product: presentProduct(created.toObject()) });
  });

  router.patch('/products/:productId', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'products:manage');
    const { coop, ...changes } = parseInput(patchBody, req.body ?? {}, 'invalid_body');
    const coopId = await requireOneCoop(models, principal, coop);
    const product = await findProduct(coopId, String(req.params.productId));
    if (changes.units && !changes.units.some((candidate) => candidate.code === product.stockUnit)) {
      throw new HttpError(400, 'invalid_body', `units: must keep the stock unit ${product.stockUnit}`);
    }
    const updated = await models.Product.findOneAndUpdate({ _id: product._id }, { $set: changes }, { returnDocument: 'after', runValidators: true }).lean<ProductDoc>();
    onCatalogChanged(coopId);
    res.json({ product: presentProduct(updated!) });
  });

  router.post('/products/:productId/stock', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'stock:adjust');
    const { coop, ...body } = parseInput(stockBody, req.body ?? {}, 'invalid_body');
    const coopId = await requireOneCoop(models, principal, coop);
    const product = await findProduct(coopId, String(req.params.productId));
    const updated = await answerRefusal(
      () => adjustStock(models, { coopId, productId: product.productId, mode: body.mode, quantity: body.quantity, reason: body.reason, by: describePrincipal(principal), now: clock() }),
      (error) => (error.code === 'stock_too_low' ? `Only ${String(error.params.stock)} ${String(error.params.unit)} in stock` : error.code),
    );
    onCatalogChanged(coopId);
    res.json({ product: presentProduct(updated) });
  });

  async function findProduct(coopId: string, id: string): Promise<ProductDoc> {
    const product = await models.Product.findOne({ coopId, productId: id }).lean<ProductDoc>();
    if (!product) throw new HttpError(404, 'not_found', 'No such product');
    return product;
  }
  return router;
}

function presentProduct(product: ProductDoc) {
  return {
    coopId: product.coopId,
    productId: product.productId,
    name: product.name,
    aliases: product.aliases,
    category: product.category,
    units: product.units.map(({ code, priceRp, stockFactor }) => ({ code, priceRp, stockFactor })),
    stockUnit: product.stockUnit,
    stock: product.stock,
    active: product.active,
    lowStockAt: product.lowStockAt ?? null,
    distributor: product.distributor ?? null,
    stockLog: (product.stockLog ?? []).slice(-10).map(({ at, by, mode, quantity, reason }) => ({ at, by, mode, quantity, ...(reason ? { reason } : {}) })),
  };
}
