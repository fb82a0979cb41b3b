import type { ChannelName } from '../channels/types.js';
import type { CoopDoc } from '../db/models/coop.js';
import type { MemberDoc } from '../db/models/member.js';
import { zoneOffsetMinutes } from '../domain/time/zoned-day-start.js';
import { draftNoticeItem } from '../outbox/notice-item.js';
import { queueAndWake, type Job, type JobContext } from './job.js';

/**
 * The 1st of the month, 09:00: members who have not paid this month's simpanan wajib are
 * reminded, on the channel the coop last reached them on, in their language. Members who
 * replied STOP are left alone. One reminder per member per month, however often it runs.
 */
export function createWajibReminderJob(): Job {
  return {
    name: 'wajib-reminder',
    schedule: '0 9 1 * *',
    async run(context) {
      let queued = 0;
      for (const coop of await context.models.Coop.find({}).lean<CoopDoc[]>()) queued += await remindCoop(context, coop);
      return queued;
    },
  };
}

async function remindCoop(context: JobContext, coop: CoopDoc): Promise<number> {
  const { models, now } = context;
  const offset = zoneOffsetMinutes(now, coop.timezone);
  const local = new Date(now.getTime() + offset * 60_000);
  const monthStart = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - offset * 60_000);
  const monthKey = local.toISOString().slice(0, 7);
  const members = await models.Member.find({ coopId: coop._id, status: 'active' }).lean<MemberDoc[]>();
  const paid = new Set((await models.SavingsEntry.distinct('memberId', { coopId: coop._id, type: 'wajib', amountRp: { $gt: 0 }, at: { $gte: monthStart } })).map(String));
  const contacts = new Map((await models.Contact.find({ coopId: coop._id, phone: { $in: members.map((member) => member.phone) } }).lean()).map((contact) => [contact.phone, contact]));
  let queued = 0;
  for (const member of members) {
    const contact = contacts.get(member.phone);
    if (paid.has(String(member._id)) || contact?.remindersOptOut) continue;
    const language = contact?.language ?? 'id';
    const last = await models.OutboxItem.findOne({ coopId: coop._id, to: member.phone }, { channel: 1 }).sort({ createdAt: -1 }).lean();
    const channel: ChannelName = last?.channel ?? 'whatsapp';
    const month = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', { month: 'long', year: 'numeric', timeZone: coop.timezone }).format(now);
    const message = { key: 'balance:wajib_reminder', params: { name: member.name, month, coop: coop.name } };
    const runKey = `wajib-reminder:${coop._id}:${monthKey}:${String(member._id)}`;
    const item = await draftNoticeItem(context.drafting, coop._id, { to: member.phone, channel, language }, [message], now, runKey);
    queued += await queueAndWake(context, { runKey, items: [item] });
  }
  return queued;
}
