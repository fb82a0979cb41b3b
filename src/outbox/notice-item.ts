import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { ChannelName, ProviderName } from '../channels/types.js';
import type { OutboxItemDoc } from '../db/models/outbox-item.js';
import type { ChatService } from '../engine/chat-service.js';
import type { ReplyMessage } from '../engine/reply-message.js';
import { maskPhone, type Logger } from '../logger.js';

/** How a message to this phone on this channel goes out now (undefined: nothing configured can carry it). */
export type RouteFinder = (coopId: string, channel: ChannelName, to: string) => Promise<ProviderName | undefined>;

export interface NoticeRecipient {
  to: string;
  channel: ChannelName;
  language: 'id' | 'en';
}

export interface NoticeDrafting {
  renderNotice: ChatService['renderNotice'];
  routeFor: RouteFinder;
  logger: Logger;
}

/**
 * An outbox item for a message the service sends on its own (order notices, job reports),
 * rendered for the recipient's channel and language. With no provider to carry it, the
 * item is stored visibly failed rather than dropped, so staff see it in the outbox list.
 */
export async function draftNoticeItem(
  drafting: NoticeDrafting,
  coopId: string,
  recipient: NoticeRecipient,
  messages: ReplyMessage[],
  now: Date,
  sourceKey: string,
  qrCodeData?: string,
): Promise<OutboxItemDoc> {
  const text = messages.map((message) => drafting.renderNotice(message, { language: recipient.language, channel: recipient.channel })).join('\n');
  const provider = await drafting.routeFor(coopId, recipient.channel, recipient.to);
  const base = {
    _id: new Types.ObjectId(),
    coopId,
    channel: recipient.channel,
    to: recipient.to,
    text,
    attempts: 0,
    nextAttemptAt: now,
    sourceMessageKey: sourceKey,
    ...(qrCodeData && recipient.channel === 'whatsapp' ? { qrCode: { data: qrCodeData, token: randomBytes(16).toString('hex') } } : {}),
    createdAt: now,
    updatedAt: now,
  };
  if (provider) return { ...base, provider, status: 'pending' };
  drafting.logger.error({ coopId, channel: recipient.channel, to: maskPhone(recipient.to) }, 'no provider can carry this notice');
  return { ...base, provider: recipient.channel === 'sms' ? 'sms-gateway' : 'baileys', status: 'failed', failedAt: now, lastError: { code: 'no_route', message: `no provider is configured for ${recipient.channel}` } };
}

/** The coop's staff contacts as notice recipients (staff read Indonesian). */
export function staffRecipients(staff: { phone: string; channel?: ChannelName }[]): NoticeRecipient[] {
  return staff.map((member) => ({ to: member.phone, channel: member.channel ?? 'whatsapp', language: 'id' }));
}
