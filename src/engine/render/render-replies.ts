import type { i18n as I18n } from 'i18next';
import type { ChannelName } from '../../channels/types.js';
import { formatRupiah } from '../../language/format-rupiah.js';
import type { ParamValue, ReplyMessage, ReplyParams } from '../reply-message.js';
import { toGsm7 } from './gsm7.js';

export interface RenderOptions {
  i18n: I18n;
  language: 'id' | 'en';
  channel: ChannelName;
  timeZone: string;
}

const ZONE_NAMES: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

/** Renders replies to outbound texts for one channel: SMS plain GSM-7, WhatsApp with *bold*. */
export function renderReplies(replies: ReplyMessage[], options: RenderOptions): string[] {
  const messages: string[] = [];
  for (const reply of replies) {
    const text = renderOne(reply, options);
    if (reply.join && messages.length > 0) messages[messages.length - 1] += `\n${text}`;
    // A reply written to follow another ("\nDiambil atau diantar?") does not open a message with a blank line.
    else messages.push(reply.join ? text.replace(/^\n+/, '') : text);
  }
  return messages.map((message) => formatForChannel(message, options.channel));
}

export function renderOne(reply: ReplyMessage, options: RenderOptions): string {
  const params = formatParams(reply.params ?? {}, options);
  return options.i18n.t(reply.key, { ...params, lng: options.language }) as string;
}

function formatParams(params: ReplyParams, options: RenderOptions): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, formatValue(value, options)]));
}

function formatValue(value: ParamValue, options: RenderOptions): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if ('money' in value) return formatRupiah(value.money);
  if ('qty' in value) return quantityFormat(options.language).format(value.qty);
  if ('time' in value) return formatTime(new Date(value.time), options);
  if ('t' in value) return renderOne({ key: value.t, params: value.params }, options);
  return value.list.map((item) => renderOne(item, options)).join(value.inline ? ', ' : '\n');
}

// Building an Intl formatter costs far more than using one: keep one per language (and zone).
const quantityFormats = new Map<string, Intl.NumberFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function quantityFormat(language: 'id' | 'en'): Intl.NumberFormat {
  let format = quantityFormats.get(language);
  if (!format) quantityFormats.set(language, (format = new Intl.NumberFormat(language === 'id' ? 'id-ID' : 'en-US', { maximumFractionDigits: 3 })));
  return format;
}

function timeFormat(language: 'id' | 'en', timeZone: string): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}`;
  let format = timeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormats.set(key, format);
  }
  return format;
}

/** "29 Nov 14.05 WIB": times are shown in the coop's zone. */
function formatTime(at: Date, options: RenderOptions): string {
  const text = timeFormat(options.language, options.timeZone).format(at);
  return `${text.replace(',', '')} ${ZONE_NAMES[options.timeZone] ?? options.timeZone}`;
}

/** Applies a channel's text rules to rendered text (SMS: no markup, GSM-7 only). */
export function formatForChannel(text: string, channel: ChannelName): string {
  if (channel !== 'sms') return text;
  // SMS has no formatting: drop WhatsApp bold markers, then keep to the GSM-7 alphabet.
  const plain = toGsm7(text.replace(/\*([^*\n]+)\*/g, '$1').replace(/(^|[\s(])_([^_\n]+)_/g, '$1$2'));
  // A dropped emoji must not leave a line starting or ending with a space.
  return plain.replace(/^ +| +$/gm, '');
}
