import type { Types } from 'mongoose';
import type { Models } from '../../db/models/index.js';
import type { MemberDoc } from '../../db/models/member.js';
import type { SavingsEntryDoc } from '../../db/models/savings-entry.js';
import type { CsvTable } from './csv-table.js';
import { formatLocalDay, localPeriod } from './local-day.js';

export const SAVINGS_EXPORT_COLUMNS = ['memberNumber', 'name', 'type', 'amountRp', 'date', 'note'] as const;

export interface SavingsExportInput {
  coopId: string;
  /** Days (YYYY-MM-DD), both included, in the coop's zone. */
  from: string;
  to: string;
  timeZone: string;
}

/**
 * The savings ledger of a period as a cooperative reports it: one row per entry, oldest
 * first; amountRp is signed (withdrawals and order debits negative), date is the day in
 * the coop's zone.
 */
export async function exportSavingsLedger(models: Models, input: SavingsExportInput): Promise<CsvTable> {
  const { start, end } = localPeriod(input.from, input.to, input.timeZone);
  const entries = await models.SavingsEntry.find({ coopId: input.coopId, at: { $gte: start, $lt: end } }, { memberId: 1, memberNumber: 1, type: 1, amountRp: 1, at: 1, note: 1 })
    .sort({ at: 1, _id: 1 })
    .lean<SavingsEntryDoc[]>();
  const memberIds = [...new Map(entries.map((entry) => [String(entry.memberId), entry.memberId])).values()];
  const members = await models.Member.find({ coopId: input.coopId, _id: { $in: memberIds } }, { name: 1 }).lean<Pick<MemberDoc, '_id' | 'name'>[]>();
  const names = new Map(members.map((member) => [String(member._id as Types.ObjectId), member.name]));
  const rows = entries.map((entry) => [entry.memberNumber, names.get(String(entry.memberId)) ?? '', entry.type, entry.amountRp, formatLocalDay(entry.at, input.timeZone), entry.note]);
  return { columns: SAVINGS_EXPORT_COLUMNS, rows };
}
