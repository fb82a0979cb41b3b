import { proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';

export const RESIDENT_JID = '6281234567890@s.whatsapp.net';
export const RESIDENT_PHONE = '+6281234567890';
export const RESIDENT_LID = '148620148620148@lid';

interface MessageOptions {
  id: string;
  remoteJid?: string;
  fromMe?: boolean;
  participant?: string;
  /** The alternate address Baileys puts on the key (phone jid for a LID chat, or the reverse). */
  remoteJidAlt?: string;
  message?: proto.IMessage;
  text?: string;
  timestamp?: number;
}

/**
 * A real proto.WebMessageInfo as Baileys emits it. The proto has no remoteJidAlt (Baileys
 * adds it to the plain key object it builds), so it is set after fromObject, as Baileys does.
 */
export function waMessage(options: MessageOptions): WAMessage {
  const info = proto.WebMessageInfo.fromObject({
    key: { remoteJid: options.remoteJid ?? RESIDENT_JID, fromMe: options.fromMe ?? false, id: options.id, participant: options.participant },
    message: options.message ?? { conversation: options.text ?? 'kak mau pesen beras 5kg' },
    messageTimestamp: options.timestamp ?? 1_750_000_000,
  });
  if (options.remoteJidAlt) (info.key as WAMessageKey).remoteJidAlt = options.remoteJidAlt;
  return info as WAMessage;
}
