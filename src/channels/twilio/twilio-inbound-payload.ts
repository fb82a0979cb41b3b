import { z } from 'zod';
import { normalizePhone } from '../phone.js';
import type { ChannelName } from '../types.js';

/** Twilio marks WhatsApp addresses with this scheme; SMS addresses are bare E.164. */
const WHATSAPP_PREFIX = 'whatsapp:';

/** One inbound Twilio message, translated to the project's terms. */
interface TwilioInbound {
  messageSid: string;
  channel: ChannelName;
  /** E.164 of the sender. */
  from: string;
  /** E.164 of the cooperative's number the message was sent to. */
  to: string;
  text: string;
}

function stripWhatsAppPrefix(address: string): string {
  return address.startsWith(WHATSAPP_PREFIX) ? address.slice(WHATSAPP_PREFIX.length) : address;
}

/**
 * The form Twilio posts for an incoming SMS or WhatsApp message. Other fields (AccountSid,
 * NumMedia, ProfileName, ...) pass through unread: Twilio adds fields over time.
 */
export const twilioInboundSchema = z
  .looseObject({
    MessageSid: z.string().min(1).max(64),
    From: z.string().min(1).max(64),
    To: z.string().min(1).max(64),
    // WhatsApp's own limit; SMS stops at 1600.
    Body: z.string().max(4096),
  })
  .transform((fields, ctx): TwilioInbound => {
    const channel: ChannelName = fields.From.startsWith(WHATSAPP_PREFIX) ? 'whatsapp' : 'sms';
    const from = normalizePhone(stripWhatsAppPrefix(fields.From));
    const to = normalizePhone(stripWhatsAppPrefix(fields.To));
    if (!from) ctx.issues.push({ code: 'custom', message: 'From is not a phone number', path: ['From'], input: fields.From });
    if (!to) ctx.issues.push({ code: 'custom', message: 'To is not a phone number', path: ['To'], input: fields.To });
    if (!from || !to) return z.NEVER;
    return { messageSid: fields.MessageSid, channel, from, to, text: fields.Body };
  });
