import type { Models } from '../../db/models/index.js';
import type { ProductDoc } from '../../db/models/product.js';
import { DomainRuleError } from '../errors.js';

/** Adjustments kept on a product: enough to answer "who changed the stock" for a few weeks. */
const STOCK_LOG_LENGTH = 200;

export interface AdjustStockInput {
  coopId: string;
  productId: string;
  /** Set the count (after a stock take), or add (delivery) / subtract (breakage) an amount. */
  mode: 'set' | 'add' | 'subtract';
  /** In the product's stock unit. */
  quantity: number;
  by: string;
  reason?: string;
  now: Date;
  /** The message that asked for it: a redelivery finds the adjustment made and changes nothing. */
  sourceMessageKey?: string;
}

/** Changes a product's stock in one atomic update, never below zero, and records who and why. */
export async function adjustStock(models: Models, input: AdjustStockInput): Promise<ProductDoc> {
  if (!Number.isFinite(input.quantity) || input.quantity < 0) throw new DomainRuleError('invalid_quantity', { quantity: String(input.quantity) });
  const filter: Record<string, unknown> = { coopId: input.coopId, productId: input.productId };
  if (input.sourceMessageKey) filter['stockLog.sourceMessageKey'] = { $ne: input.sourceMessageKey };
  const log = {
    at: input.now,
    by: input.by,
    mode: input.mode,
    quantity: input.quantity,
    ...(input.reason ? { reason: input.reason } : {}),
    ...(input.sourceMessageKey ? { sourceMessageKey: input.sourceMessageKey } : {}),
  };
  const push = { stockLog: { $each: [log], $slice: -STOCK_LOG_LENGTH } };
  let update: Record<string, unknown>;
  if (input.mode === 'set') update = { $set: { stock: input.quantity }, $push: push };
  else if (input.mode === 'add') update = { $inc: { stock: input.quantity }, $push: push };
  else {
    filter.stock = { $gte: input.quantity };
    update = { $inc: { stock: -input.quantity }, $push: push };
  }
  const updated = await models.Product.findOneAndUpdate(filter, update, { returnDocument: 'after' }).lean<ProductDoc>();
  if (updated) return updated;
  const product = await models.Product.findOne({ coopId: input.coopId, productId: input.productId }).lean<ProductDoc>();
  if (!product) throw new DomainRuleError('product_not_found', { productId: input.productId });
  if (input.sourceMessageKey && product.stockLog?.some((entry) => entry.sourceMessageKey === input.sourceMessageKey)) return product;
  throw new DomainRuleError('stock_too_low', { name: product.name, stock: product.stock, unit: product.stockUnit });
}
