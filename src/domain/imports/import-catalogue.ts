import { Types } from 'mongoose';
import { z } from 'zod';
import type { Models } from '../../db/models/index.js';
import type { ProductDoc, ProductUnit } from '../../db/models/product.js';
import { DomainRuleError } from '../errors.js';
import { describeIssues, optionalCell, quantityCell, rupiahCell } from './csv-cells.js';
import { isDuplicateKey } from './is-duplicate-key.js';
import { RejectionList, type ImportRejection } from './import-report.js';
import { readCsvTable, type CsvColumns } from './read-csv-table.js';

/** One row per product unit; a product's other fields repeat on each of its rows. */
export const CATALOGUE_COLUMNS: CsvColumns = {
  required: ['productId', 'name', 'category', 'unit', 'priceRp', 'stockUnit'],
  optional: ['stock', 'stockFactor', 'aliases'],
};
const MAX_ROWS = 5000;
const MAX_UNITS = 10;
const MAX_ALIASES = 20;
/** The same stock log length adjustStock keeps. */
const STOCK_LOG_LENGTH = 200;

// Same rule as the products API (src/admin/products-router.ts), which domain/ may not import.
const productId = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'must be upper-case letters, digits and dashes, such as GULA or BERAS-PREMIUM');
// Unit codes are the language layer's canonical lower-case ones (kg, liter, bungkus).
const unitCode = z.string().min(1, 'is empty').max(20).transform((value) => value.toLowerCase());
const catalogueRow = z.object({
  productId,
  name: z.string().min(1, 'is empty').max(100),
  category: z.string().min(1, 'is empty').max(60),
  unit: unitCode,
  priceRp: rupiahCell(100_000_000),
  stockUnit: unitCode,
  stock: optionalCell(quantityCell(1e9)),
  stockFactor: optionalCell(quantityCell(10_000).refine((value) => value > 0, 'must be more than 0')),
  aliases: z
    .string()
    .transform((value) => value.split(';').map((alias) => alias.trim()).filter((alias) => alias !== ''))
    .pipe(z.array(z.string().max(60, 'an alias is longer than 60 characters')).max(MAX_ALIASES, `at most ${MAX_ALIASES} aliases`)),
});
type CatalogueRow = z.infer<typeof catalogueRow>;

/** A product as the file describes it, assembled from its rows. */
interface ImportedProduct {
  productId: string;
  name: string;
  category: string;
  aliases: string[];
  units: ProductUnit[];
  stockUnit: string;
  stock?: number;
  firstLine: number;
}

export interface CatalogueImportInput {
  coopId: string;
  csv: string;
  dryRun: boolean;
  /** Who imports, for the stock log. */
  by: string;
  now: Date;
}

export interface CatalogueImportResult {
  dryRun: boolean;
  /** Written (or, on a dry run, that would be); both 0 when a row is rejected. */
  imported: { created: number; updated: number };
  rejected: ImportRejection[];
}

/**
 * Imports a catalogue CSV: all of it in one transaction, or nothing when any row is refused.
 * Products are matched by coop + productId: new ones are created (stock blank = 0); existing
 * ones get the file's name, category, units (the file's list replaces theirs) and stock
 * unit, its aliases when the file has that column, and keep their stock unless the file
 * gives one (then it is set, and logged like a stock take). Products absent from the file
 * are left as they are (not deactivated). Throws CsvFileError when the file is not a readable table.
 */
export async function importCatalogue(models: Models, input: CatalogueImportInput): Promise<CatalogueImportResult> {
  const { columns, rows } = readCsvTable(input.csv, CATALOGUE_COLUMNS, MAX_ROWS);
  // A file without an aliases column leaves aliases alone; a blank cell in one clears them.
  const keepAliases = !columns.includes('aliases');
  const rejections = new RejectionList();
  const parsed: { line: number; row: CatalogueRow }[] = [];
  const failedIds = new Set<string>();
  for (const { line, cells, shapeErrors } of rows) {
    const label = cells.productId ? { productId: cells.productId } : {};
    for (const error of shapeErrors) rejections.add(line, error, label);
    const result = catalogueRow.safeParse(cells);
    if (result.success) parsed.push({ line, row: result.data });
    else {
      for (const error of describeIssues(result.error)) rejections.add(line, error, label);
      failedIds.add(cells.productId);
    }
  }

  // A product with a row that did not parse is not checked as a whole: its units are unknown.
  const products = assembleProducts(parsed.filter(({ row }) => !failedIds.has(row.productId)), rejections);
  const existing = await models.Product.find({ coopId: input.coopId, productId: { $in: products.map((product) => product.productId) } }, { productId: 1, stockUnit: 1, stock: 1 }).lean<Pick<ProductDoc, '_id' | 'productId' | 'stockUnit' | 'stock'>[]>();
  const existingById = new Map(existing.map((product) => [product.productId, product]));
  for (const product of products) {
    const current = existingById.get(product.productId);
    // Stock is counted in the stock unit: a new stock unit with the old count would be a wrong count.
    if (current && current.stockUnit !== product.stockUnit && product.stock === undefined) {
      rejections.add(product.firstLine, `stockUnit: changes from ${current.stockUnit} to ${product.stockUnit}; give the stock in ${product.stockUnit}`, { productId: product.productId });
    }
  }

  const toCreate = products.filter((product) => !existingById.has(product.productId));
  const toUpdate = products.filter((product) => existingById.has(product.productId));
  if (rejections.size > 0) return { dryRun: input.dryRun, imported: { created: 0, updated: 0 }, rejected: rejections.list() };
  const imported = { created: toCreate.length, updated: toUpdate.length };
  if (input.dryRun) return { dryRun: true, imported, rejected: [] };

  try {
    await models.connection.transaction(async (session) => {
      if (toCreate.length > 0) {
        await models.Product.insertMany(
          toCreate.map((product) => ({ _id: new Types.ObjectId(), coopId: input.coopId, productId: product.productId, name: product.name, aliases: product.aliases, category: product.category, units: product.units, stockUnit: product.stockUnit, stock: product.stock ?? 0, active: true })),
          { session },
        );
      }
      for (const product of toUpdate) {
        const current = existingById.get(product.productId)!;
        const set: Record<string, unknown> = { name: product.name, category: product.category, units: product.units, stockUnit: product.stockUnit, ...(keepAliases ? {} : { aliases: product.aliases }) };
        const update: Record<string, unknown> = { $set: set };
        if (product.stock !== undefined && product.stock !== current.stock) {
          set.stock = product.stock;
          update.$push = { stockLog: { $each: [{ at: input.now, by: input.by, mode: 'set', quantity: product.stock, reason: 'catalogue import' }], $slice: -STOCK_LOG_LENGTH } };
        }
        const written = await models.Product.updateOne({ coopId: input.coopId, productId: product.productId }, update, { session });
        if (written.matchedCount === 0) throw new DomainRuleError('catalogue_changed', { productId: product.productId });
      }
    });
  } catch (error) {
    // Someone added one of these products between the check and the write: the whole file waits for a retry.
    if (isDuplicateKey(error)) throw new DomainRuleError('catalogue_changed', {}, { cause: error });
    throw error;
  }
  return { dryRun: false, imported, rejected: [] };
}

/** Groups rows by productId and checks that they describe one product consistently. */
function assembleProducts(parsed: { line: number; row: CatalogueRow }[], rejections: RejectionList): ImportedProduct[] {
  const groups = new Map<string, { line: number; row: CatalogueRow }[]>();
  for (const entry of parsed) groups.set(entry.row.productId, [...(groups.get(entry.row.productId) ?? []), entry]);
  const products: ImportedProduct[] = [];
  for (const [id, group] of groups) {
    const label = { productId: id };
    const [first] = group;
    const unitLines = new Map<string, number>();
    let stock: { value: number; line: number } | undefined;
    const aliases = new Map<string, string>();
    for (const { line, row } of group) {
      for (const field of ['name', 'category', 'stockUnit'] as const) {
        if (row[field] !== first.row[field]) rejections.add(line, `${field}: "${row[field]}" differs from line ${first.line} ("${first.row[field]}")`, label);
      }
      if (row.stock !== undefined) {
        if (stock && stock.value !== row.stock) rejections.add(line, `stock: ${row.stock} differs from line ${stock.line} (${stock.value})`, label);
        stock ??= { value: row.stock, line };
      }
      const earlier = unitLines.get(row.unit);
      if (earlier !== undefined) rejections.add(line, `unit: ${row.unit} is already on line ${earlier}`, label);
      else unitLines.set(row.unit, line);
      if (row.unit === first.row.stockUnit && row.stockFactor !== undefined && row.stockFactor !== 1) {
        rejections.add(line, `stockFactor: the stock unit ${row.unit} counts as 1, not ${row.stockFactor}`, label);
      }
      for (const alias of row.aliases) if (!aliases.has(alias.toLowerCase())) aliases.set(alias.toLowerCase(), alias);
    }
    if (!unitLines.has(first.row.stockUnit)) rejections.add(first.line, `stockUnit: ${first.row.stockUnit} is not one of the product's units (${[...unitLines.keys()].join(', ')})`, label);
    if (unitLines.size > MAX_UNITS) rejections.add(group[MAX_UNITS].line, `unit: a product has at most ${MAX_UNITS} units`, label);
    if (aliases.size > MAX_ALIASES) rejections.add(first.line, `aliases: a product has at most ${MAX_ALIASES} aliases`, label);
    const seen = new Set<string>();
    const units = group
      .filter(({ row }) => !seen.has(row.unit) && Boolean(seen.add(row.unit)))
      .map(({ row }) => ({ code: row.unit, priceRp: row.priceRp, stockFactor: row.unit === first.row.stockUnit ? 1 : (row.stockFactor ?? 1) }));
    products.push({
      productId: id,
      name: first.row.name,
      category: first.row.category,
      aliases: [...aliases.values()],
      units,
      stockUnit: first.row.stockUnit,
      ...(stock ? { stock: stock.value } : {}),
      firstLine: first.line,
    });
  }
  return products;
}
