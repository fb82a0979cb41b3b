import {
  isHostedLidUser,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  normalizeMessageContent,
  toNumber,
  type proto,
  type WAMessageKey,
} from '@whiskeysockets/baileys';
import type { Logger } from '../../logger.js';
import type { InboundMessage } from '../types.js';
import type { LidMappingLookup } from './baileys-socket.js';
import { phoneFromJid } from './phone-jid.js';

export interface InboundTranslationOptions {
  logger: Logger;
  /** The socket's LID -> phone-number store, for `@lid` senders the message itself does not map. */
  lidMapping?: LidMappingLookup;
  /** For a message without a timestamp. */
  now?: () => Date;
}

/** Why a message was not handed to the dispatcher (logged at debug, counted in tests). */
export type SkipReason = 'no_key' | 'from_me' | 'status' | 'broadcast' | 'group' | 'newsletter' | 'no_text' | 'unknown_sender';

/**
 * Turns one Baileys message into an InboundMessage, or undefined for what the service does
 * not answer: our own messages, status updates, groups, newsletters, broadcast lists, and
 * anything without text (stickers, reactions, voice notes, receipts of protocol events).
 *
 * A sender addressed by LID (`...@lid`, WhatsApp's privacy id) is mapped back to a phone
 * number: from the message key (rc14 puts the phone-number jid in `remoteJidAlt`), else from
 * Baileys' LID mapping store. A LID that maps to nothing is skipped with a warning: its
 * digits are not a phone number and must never become one.
 */
export async function toInboundMessage(
  msg: proto.IWebMessageInfo,
  coopId: string,
  options: InboundTranslationOptions,
): Promise<InboundMessage | undefined> {
  const verdict = await readSender(msg, options);
  if ('skip' in verdict) {
    options.logger.debug({ coopId, messageId: msg.key?.id, reason: verdict.skip }, 'whatsapp message skipped');
    return undefined;
  }
  const seconds = toNumber(msg.messageTimestamp ?? 0);
  return {
    channel: 'whatsapp',
    provider: 'baileys',
    coopId,
    from: verdict.from,
    providerMessageId: verdict.id,
    text: verdict.text,
    receivedAt: seconds > 0 ? new Date(seconds * 1000) : (options.now ?? (() => new Date()))(),
  };
}

/** The text a resident typed: a plain message, a text with link preview or quote, or a media caption. */
export function readMessageText(message: proto.IMessage | null | undefined): string | undefined {
  // Unwraps disappearing-mode, view-once and similar envelopes.
  const content = normalizeMessageContent(message);
  const text =
    content?.conversation ||
    content?.extendedTextMessage?.text ||
    content?.imageMessage?.caption ||
    content?.videoMessage?.caption ||
    undefined;
  return text && text.trim() !== '' ? text : undefined;
}

type SenderVerdict = { skip: SkipReason } | { from: string; id: string; text: string };

async function readSender(msg: proto.IWebMessageInfo, options: InboundTranslationOptions): Promise<SenderVerdict> {
  // Baileys' own key type carries the alternate addressing (remoteJidAlt) the proto lacks.
  const key = msg.key as WAMessageKey | null | undefined;
  const chat = key?.remoteJid;
  if (!key || !chat || !key.id) return { skip: 'no_key' };
  if (key.fromMe) return { skip: 'from_me' };
  if (isJidStatusBroadcast(chat)) return { skip: 'status' };
  if (isJidBroadcast(chat)) return { skip: 'broadcast' };
  if (isJidGroup(chat)) return { skip: 'group' };
  if (isJidNewsletter(chat)) return { skip: 'newsletter' };
  const text = readMessageText(msg.message);
  if (!text) return { skip: 'no_text' };

  const from = phoneFromJid(chat) ?? phoneFromJid(key.remoteJidAlt) ?? (await phoneFromLid(chat, key.id, options));
  if (!from) return { skip: 'unknown_sender' };
  return { from, id: key.id, text };
}

async function phoneFromLid(chat: string, messageId: string, options: InboundTranslationOptions): Promise<string | undefined> {
  if (!isLidUser(chat) && !isHostedLidUser(chat)) {
    options.logger.warn({ messageId, server: chat.split('@')[1] }, 'whatsapp message from an unsupported address; skipped');
    return undefined;
  }
  let mapped: string | null = null;
  try {
    mapped = (await options.lidMapping?.getPNForLID(chat)) ?? null;
  } catch (error) {
    options.logger.warn({ err: error, messageId }, 'whatsapp LID lookup failed');
  }
  const phone = phoneFromJid(mapped);
  if (!phone) options.logger.warn({ messageId, lid: chat }, 'whatsapp sender LID has no known phone number; message skipped');
  return phone;
}
