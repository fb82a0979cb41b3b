import { Types } from 'mongoose';
import { z } from 'zod';
import type { Models } from '../../db/models/index.js';
import type { MemberDoc } from '../../db/models/member.js';
import type { SavingsType } from '../../db/models/savings-entry.js';
import { DomainRuleError } from '../errors.js';
import { localDayStart } from '../exports/local-day.js';
import { hashPin } from '../members/pin-hash.js';
import { postSavingsEntry } from '../savings/post-savings-entry.js';
import { describeIssues, optionalCell, optionalRupiahCell } from './csv-cells.js';
import { isDuplicateKey } from './is-duplicate-key.js';
import { RejectionList, type ImportRejection } from './import-report.js';
import { readCsvTable, type CsvColumns } from './read-csv-table.js';

export const MEMBER_COLUMNS: CsvColumns = {
  required: ['name', 'phone'],
  optional: ['memberNumber', 'pin', 'pokokRp', 'wajibRp', 'sukarelaRp', 'joinedAt'],
};
/** Each PIN is an scrypt hash (tens of milliseconds): this keeps one import to seconds, not minutes. */
const MAX_ROWS = 2000;
/** The ledger note of an opening balance (shown to staff and in the savings export). */
export const OPENING_BALANCE_NOTE = 'Saldo awal (impor)';
const BALANCE_COLUMNS: { column: 'pokokRp' | 'wajibRp' | 'sukarelaRp'; type: SavingsType }[] = [
  { column: 'pokokRp', type: 'pokok' },
  { column: 'wajibRp', type: 'wajib' },
  { column: 'sukarelaRp', type: 'sukarela' },
];

export interface MemberImportInput {
  coopId: string;
  csv: string;
  dryRun: boolean;
  /** Turns a phone number as written into E.164, or undefined when it is not one (channels/ owns the rule). */
  normalizePhone: (raw: string) => string | undefined;
  /** Who imports, for the ledger entries. */
  by: string;
  now: Date;
  /** The coop's zone: joinedAt days start at its midnight. */
  timeZone: string;
}

export interface MemberImportResult {
  dryRun: boolean;
  /** Written (or, on a dry run, that would be); 0 when a row is rejected. */
  imported: { created: number };
  rejected: ImportRejection[];
}

/**
 * Imports members with their opening balances: every member and every opening-balance
 * ledger entry (one per non-zero balance, through postSavingsEntry so the cached balances
 * move with the ledger) in one transaction, or nothing when any row is refused. A row
 * without memberNumber gets the next free one, as createMember numbers them. Throws
 * CsvFileError when the file is not a readable table.
 */
export async function importMembers(models: Models, input: MemberImportInput): Promise<MemberImportResult> {
  const { rows } = readCsvTable(input.csv, MEMBER_COLUMNS, MAX_ROWS);
  const schema = memberRowSchema(input.normalizePhone);
  const rejections = new RejectionList();
  const parsed: { line: number; row: z.infer<typeof schema> }[] = [];
  const phoneLines = new Map<string, number>();
  const numberLines = new Map<string, number>();
  for (const { line, cells, shapeErrors } of rows) {
    const label = cells.memberNumber ? { memberNumber: cells.memberNumber } : {};
    for (const error of shapeErrors) rejections.add(line, error, label);
    const result = schema.safeParse(cells);
    if (!result.success) {
      for (const error of describeIssues(result.error)) rejections.add(line, error, label);
      continue;
    }
    const row = result.data;
    const phoneLine = phoneLines.get(row.phone);
    if (phoneLine !== undefined) rejections.add(line, `phone: ${row.phone} is already on line ${phoneLine}`, label);
    else phoneLines.set(row.phone, line);
    if (row.memberNumber) {
      const numberLine = numberLines.get(row.memberNumber);
      if (numberLine !== undefined) rejections.add(line, `memberNumber: ${row.memberNumber} is already on line ${numberLine}`, label);
      else numberLines.set(row.memberNumber, line);
    }
    parsed.push({ line, row });
  }

  const taken = await models.Member.find(
    { coopId: input.coopId, $or: [{ phone: { $in: [...phoneLines.keys()] } }, { memberNumber: { $in: [...numberLines.keys()] } }] },
    { phone: 1, memberNumber: 1 },
  ).lean<Pick<MemberDoc, 'phone' | 'memberNumber'>[]>();
  const takenPhones = new Map(taken.map((member) => [member.phone, member.memberNumber]));
  const takenNumbers = new Set(taken.map((member) => member.memberNumber));
  for (const { line, row } of parsed) {
    const label = row.memberNumber ? { memberNumber: row.memberNumber } : {};
    const holder = takenPhones.get(row.phone);
    if (holder !== undefined) rejections.add(line, `phone: ${row.phone} belongs to member ${holder}`, label);
    if (row.memberNumber && takenNumbers.has(row.memberNumber)) rejections.add(line, `memberNumber: ${row.memberNumber} is taken`, label);
  }
  if (rejections.size > 0) return { dryRun: input.dryRun, imported: { created: 0 }, rejected: rejections.list() };
  if (input.dryRun) return { dryRun: true, imported: { created: parsed.length }, rejected: [] };

  let next = (await highestMemberNumber(models, input.coopId, [...numberLines.keys()])) + 1;
  // Numbers are handed out in file order, before the (parallel) PIN hashing.
  const numbered = parsed.map(({ row }) => ({ row, memberNumber: row.memberNumber ?? `KDMP-${String(next++).padStart(4, '0')}` }));
  const members = await Promise.all(
    numbered.map(async ({ row, memberNumber }) => ({
      row,
      doc: {
        _id: new Types.ObjectId(),
        coopId: input.coopId,
        memberNumber,
        name: row.name,
        phone: row.phone,
        ...(row.pin ? { pinHash: await hashPin(row.pin) } : {}),
        status: 'active' as const,
        joinedAt: row.joinedAt ? localDayStart(row.joinedAt, input.timeZone) : input.now,
      },
    })),
  );
  try {
    await models.connection.transaction(async (session) => {
      await models.Member.insertMany(
        members.map(({ doc }) => doc),
        { session },
      );
      for (const { row, doc } of members) {
        for (const { column, type } of BALANCE_COLUMNS) {
          if (row[column] === 0) continue;
          await postSavingsEntry(models, { coopId: input.coopId, memberId: doc._id, type, amountRp: row[column], note: OPENING_BALANCE_NOTE, at: input.now, by: { kind: 'staff', ref: input.by } }, session);
        }
      }
    });
  } catch (error) {
    // A member registered between the check and the write took a phone or number of the file.
    if (isDuplicateKey(error)) throw new DomainRuleError('members_changed', {}, { cause: error });
    throw error;
  }
  return { dryRun: false, imported: { created: members.length }, rejected: [] };
}

function memberRowSchema(normalizePhone: (raw: string) => string | undefined) {
  return z.object({
    memberNumber: optionalCell(z.string().regex(/^KDMP-\d{4,}$/, 'must look like KDMP-0001')),
    name: z.string().min(1, 'is empty').max(100),
    phone: z
      .string()
      .min(1, 'is empty')
      .max(40)
      .transform((value, context) => {
        const e164 = normalizePhone(value);
        if (!e164) context.addIssue({ code: 'custom', message: `${value} is not a phone number such as 081234567890` });
        return e164 ?? '';
      }),
    pin: optionalCell(z.string().regex(/^\d{4,6}$/, 'must be 4 to 6 digits')),
    pokokRp: optionalRupiahCell(1_000_000_000),
    wajibRp: optionalRupiahCell(1_000_000_000),
    sukarelaRp: optionalRupiahCell(1_000_000_000),
    joinedAt: optionalCell(z.iso.date({ message: 'must be a date such as 2024-07-12' })),
  });
}

/** The highest number in use, among the coop's members and the file's own numbers. */
async function highestMemberNumber(models: Models, coopId: string, fileNumbers: string[]): Promise<number> {
  const numbers = await models.Member.find({ coopId }, { memberNumber: 1 }).lean<Pick<MemberDoc, 'memberNumber'>[]>();
  return [...numbers.map(({ memberNumber }) => memberNumber), ...fileNumbers].reduce((max, memberNumber) => Math.max(max, Number(/\d+$/.exec(memberNumber)?.[0] ?? 0)), 0);
}
