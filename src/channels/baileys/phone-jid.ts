import { isHostedPnUser, isPnUser, jidDecode } from '@whiskeysockets/baileys';

/**
 * The E.164 number of a phone-number jid (6281234567890:3@s.whatsapp.net -> +6281234567890),
 * or undefined for any other jid (LID, group, ...). A LID is never read as a phone number.
 */
export function phoneFromJid(jid: string | null | undefined): string | undefined {
  if (!jid || !(isPnUser(jid) || isHostedPnUser(jid))) return undefined;
  const user = jidDecode(jid)?.user;
  if (!user || !/^[1-9]\d{7,14}$/.test(user)) return undefined;
  return `+${user}`;
}

/** The jid a reply to an E.164 number goes to; Baileys maps it to the LID itself when needed. */
export function jidFromPhone(e164: string): string {
  return `${e164.replace(/^\+/, '')}@s.whatsapp.net`;
}
