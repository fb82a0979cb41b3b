import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { normalizePhone } from '../channels/phone.js';
import type { Models } from '../db/models/index.js';
import type { DomainRuleError } from '../domain/errors.js';
import { writeCsvTable, type CsvTable } from '../domain/exports/csv-table.js';
import { exportOrders } from '../domain/exports/export-orders.js';
import { exportSavingsLedger } from '../domain/exports/export-savings-ledger.js';
import { daysBetween } from '../domain/exports/local-day.js';
import { importCatalogue } from '../domain/imports/import-catalogue.js';
import { importMembers } from '../domain/imports/import-members.js';
import type { ImportRejection } from '../domain/imports/import-report.js';
import { CsvFileError } from '../domain/imports/read-csv-table.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse-input.js';
import { principalOf, requireOneCoop, requirePermission } from './admin-principal.js';
import { answerRefusal } from './answer-refusal.js';
import type { Permission } from './permissions.js';
import { describePrincipal } from './tokens-router.js';

const CSV_TYPES = ['text/csv', 'text/plain'];
/** Longest period one export covers: a year, leap day included. */
const MAX_EXPORT_DAYS = 366;
const day = z.iso.date({ message: 'must be a date such as 2026-12-01' });

const importQuery = z.strictObject({
  coop: z.string().max(100).optional(),
  /** true: check the file and report what would be written, writing nothing. */
  dryRun: z.enum(['true', 'false']).default('false'),
});
const exportQuery = z
  .strictObject({ coop: z.string().max(100).optional(), from: day, to: day })
  .refine((query) => daysBetween(query.from, query.to) >= 0, { path: ['to'], message: 'must not be before from' })
  .refine((query) => daysBetween(query.from, query.to) <= MAX_EXPORT_DAYS, { path: ['to'], message: `at most ${MAX_EXPORT_DAYS} days after from` });

/**
 * Spreadsheet files in and out, for one cooperative at a time:
 * POST /admin/api/imports/catalogue and /admin/api/imports/members (a CSV body, `dryRun`
 * to check without writing; a file with any refused row writes nothing and answers 422
 * with every refused line), GET /admin/api/exports/orders.csv and /admin/api/exports/savings.csv
 * (`from`/`to` days in the coop's zone).
 */
export function createCsvRouter(models: Models, onCatalogChanged: (coopId: string) => void, clock: () => Date): Router {
  const router = Router();
  const readCsvBody = express.text({ type: CSV_TYPES, limit: '2mb' });

  router.post('/imports/catalogue', allow('products:manage'), acceptCsvOnly, readCsvBody, async (req, res) => {
    const principal = principalOf(res);
    const query = parseInput(importQuery, req.query, 'invalid_query');
    const coopId = await requireOneCoop(models, principal, query.coop);
    const dryRun = query.dryRun === 'true';
    const result = await answerRefusal(() => readingCsv(() => importCatalogue(models, { coopId, csv: csvBody(req), dryRun, by: describePrincipal(principal), now: clock() })), describeRefusal);
    if (!dryRun && result.rejected.length === 0) onCatalogChanged(coopId);
    answerImport(res, result);
  });

  router.post('/imports/members', allow('members:manage'), acceptCsvOnly, readCsvBody, async (req, res) => {
    const principal = principalOf(res);
    const query = parseInput(importQuery, req.query, 'invalid_query');
    const coopId = await requireOneCoop(models, principal, query.coop);
    const { timezone } = await findCoop(coopId);
    const result = await answerRefusal(
      () => readingCsv(() => importMembers(models, { coopId, csv: csvBody(req), dryRun: query.dryRun === 'true', normalizePhone: normalizeSpreadsheetPhone, by: describePrincipal(principal), now: clock(), timeZone: timezone })),
      describeRefusal,
    );
    answerImport(res, result);
  });

  router.get('/exports/orders.csv', allow('orders:read'), async (req, res) => {
    const { coopId, slug, timeZone, from, to } = await readExportQuery(req, res);
    sendCsv(res, `pesanan-${slug}-${from}-${to}.csv`, await exportOrders(models, { coopId, from, to, timeZone }));
  });

  router.get('/exports/savings.csv', allow('members:read'), async (req, res) => {
    const { coopId, slug, timeZone, from, to } = await readExportQuery(req, res);
    sendCsv(res, `simpanan-${slug}-${from}-${to}.csv`, await exportSavingsLedger(models, { coopId, from, to, timeZone }));
  });

  async function readExportQuery(req: Request, res: Response) {
    const query = parseInput(exportQuery, req.query, 'invalid_query');
    const coopId = await requireOneCoop(models, principalOf(res), query.coop);
    const coop = await findCoop(coopId);
    return { coopId, slug: coop.slug, timeZone: coop.timezone, from: query.from, to: query.to };
  }

  async function findCoop(coopId: string): Promise<{ slug: string; timezone: string }> {
    const coop = await models.Coop.findById(coopId, { slug: 1, timezone: 1 }).lean();
    if (!coop) throw new HttpError(404, 'unknown_coop', 'No such cooperative');
    return coop;
  }
  return router;
}

/** Checks the role before the body is read: a refused caller's upload is not worth reading. */
function allow(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    requirePermission(principalOf(res), permission);
    next();
  };
}

/** 415 for anything but a CSV (or plain text) body, so a JSON or form upload is not mistaken for an empty file. */
const acceptCsvOnly: RequestHandler = (req, _res, next) => {
  const type = (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!CSV_TYPES.includes(type)) throw new HttpError(415, 'unsupported_media_type', 'Send the file as text/csv');
  next();
};

function csvBody(req: Request): string {
  return typeof req.body === 'string' ? req.body : '';
}

/** A file the importer cannot read as a table is the caller's mistake: 400 naming the line. */
async function readingCsv<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CsvFileError) throw new HttpError(400, 'invalid_csv', error.message, { cause: error });
    throw error;
  }
}

function answerImport(res: Response, result: { dryRun: boolean; rejected: ImportRejection[] }): void {
  if (result.dryRun || result.rejected.length === 0) {
    res.json(result);
    return;
  }
  const count = result.rejected.length;
  res.status(422).json({ error: { code: 'rows_rejected', message: `${count} row${count > 1 ? 's' : ''} rejected; nothing was imported` }, ...result });
}

function sendCsv(res: Response, filename: string, table: CsvTable): void {
  res.set('content-type', 'text/csv; charset=utf-8');
  res.set('content-disposition', `attachment; filename="${filename}"`);
  res.send(writeCsvTable(table));
}

/**
 * normalizePhone, plus the one way spreadsheets mangle Indonesian mobile numbers: a cell
 * typed 0812... is stored as the number 812..., dropping the leading 0.
 */
function normalizeSpreadsheetPhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s\-().]/g, '');
  return normalizePhone(/^8\d{7,12}$/.test(compact) ? `0${compact}` : raw);
}

function describeRefusal(error: DomainRuleError): string {
  switch (error.code) {
    case 'catalogue_changed':
      return 'A product of the file was added or changed while importing; nothing was imported, try again';
    case 'members_changed':
      return 'A phone number or member number of the file was taken while importing; nothing was imported, try again';
    default:
      return error.code;
  }
}
