import { Schema, type Types } from 'mongoose';
import { rupiahField } from './money-field.js';

export interface ProductUnit {
  code: string;
  priceRp: number;
  /** How many stock units (see ProductDoc.stockUnit) one of this unit uses. */
  stockFactor: number;
}

export interface ProductDoc {
  _id: Types.ObjectId;
  coopId: string;
  /** Stable catalogue id such as BERAS-MED. */
  productId: string;
  name: string;
  aliases: string[];
  category: string;
  units: ProductUnit[];
  /** The unit stock is counted in (one of units[].code, with stockFactor 1). */
  stockUnit: string;
  /** On hand, in stockUnit (may be fractional for kg/liter). */
  stock: number;
  active: boolean;
  /** Staff are alerted when stock falls to this (in stockUnit); unset: no alert. */
  lowStockAt?: number;
  /** Who the coop buys it from: the restock list is grouped by distributor. */
  distributor?: string;
  /** Recent stock adjustments by staff (stock taken by orders is not logged here). */
  stockLog?: { at: Date; by: string; mode: 'set' | 'add' | 'subtract'; quantity: number; reason?: string; sourceMessageKey?: string }[];
  createdAt?: Date;
  updatedAt?: Date;
}

export const productSchema = new Schema<ProductDoc>(
  {
    coopId: { type: String, required: true },
    productId: { type: String, required: true },
    name: { type: String, required: true },
    aliases: { type: [String], default: [] },
    category: { type: String, required: true },
    units: {
      type: [{ _id: false, code: { type: String, required: true }, priceRp: rupiahField({ min: 0 }), stockFactor: { type: Number, default: 1 } }],
      validate: { validator: (units: unknown[]) => units.length > 0, message: 'a product needs at least one unit' },
    },
    stockUnit: { type: String, required: true },
    stock: { type: Number, required: true, min: 0, default: 0 },
    active: { type: Boolean, default: true },
    lowStockAt: { type: Number, min: 0 },
    distributor: String,
    stockLog: {
      type: [{ _id: false, at: Date, by: String, mode: { type: String, enum: ['set', 'add', 'subtract'] }, quantity: Number, reason: String, sourceMessageKey: String }],
      default: undefined,
    },
  },
  { timestamps: true, collection: 'products' },
);
productSchema.index({ coopId: 1, productId: 1 }, { unique: true });
productSchema.index({ coopId: 1, category: 1 });
