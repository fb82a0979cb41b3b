import type { MessageAnalysis } from './analyze-message.js';
import { alignText } from './tokenize.js';

/**
 * When the resident wants the goods and a number to reach them on, said anywhere in a message:
 * "kirim besok jam 10 pagi ya", "antar habis maghrib", "no hp 0813-7771-2345". Both are kept
 * for the shop as written, and their tokens are taken out of the message before anything else
 * reads it, so "jam 10" is no amount and "0813…" no order number or house number.
 */
export interface DeliveryDetails {
  /** The time as written ("besok jam 10 pagi"), several phrases joined by a space. */
  when?: string;
  /** The phone number in local form ("081377712345"). */
  contactPhone?: string;
  /** Token indexes the details were read from. */
  tokens: Set<number>;
}

const TIME_LEADS = new Set(['jam', 'pukul', 'pkl']);
const DAY_PARTS = new Set(['pagi', 'siang', 'sore', 'malam', 'subuh']);
/** Days: "besok", "lusa", the weekdays ("minggu" is also "week", so it needs a time after it). */
const DAYS = new Set(['besok', 'lusa', 'senin', 'selasa', 'rabu', 'kamis', 'jumat', 'sabtu']);
/** Words that make a day part or a time a time when followed by one: "nanti sore", "minggu pagi". */
const TIME_QUALIFIED = new Set(['nanti', 'minggu', 'hari']);
const PRAYERS = new Set(['subuh', 'dzuhur', 'zuhur', 'zhuhur', 'lohor', 'ashar', 'asar', 'maghrib', 'magrib', 'isya', 'isyak', 'jumatan']);
/** "sebelum jam 12", "habis maghrib", "sekitar jam 3": part of the time that follows. */
const TIME_RELATIONS = new Set(['sebelum', 'sesudah', 'setelah', 'habis', 'abis', 'bada', 'lewat', 'sekitar', 'antara', 'mulai', 'paling', 'sampai', 'before', 'after', 'around']);
/** Words the time phrase may end with: "jam 10an", "sore ini". */
const TIME_TAILS = new Set(['an', 'ini', 'nanti']);
/** A time means the delivery or collection only near one of these, unless it reads as a clock time. */
const FULFILMENT_WORDS = new Set(['kirim', 'dikirim', 'antar', 'delivery', 'ambil', 'pickup', 'datang', 'sampai', 'nyampe', 'deliver', 'send']);
/** Words that lead into a phone number: "no hp", "nomor wa", "hubungi", "cp". */
const PHONE_LEADS = new Set(['no', 'nomer', 'nmr', 'hp', 'wa', 'telp', 'tlp', 'telepon', 'telpon', 'kontak', 'hubungi', 'cp', 'call', 'phone', 'number', 'whatsapp', 'di']);

/** Between a lead and the number: "no hp saya", "wa aku". */
const PHONE_OWNERS = new Set(['saya', 'sy', 'aku', 'ku', 'my', 'kak', 'ya', 'nya', 'ini', 'yg', 'yang', 'bisa', 'ke', 'istri', 'suami', 'anak', 'ibu', 'bapak', 'mama', 'papa', 'adik', 'kakak', 'orang', 'rumah']);

export function detectDeliveryDetails(a: MessageAnalysis, text: string, question: boolean): DeliveryDetails {
  const tokens = new Set<number>();
  const phone = findPhone(a);
  let contactPhone: string | undefined;
  if (phone !== undefined) {
    contactPhone = phone.digits;
    for (let i = phone.start; i < phone.end; i++) tokens.add(i);
  }
  const phrases: string[] = [];
  const nearFulfilment = a.words.some((word) => word !== undefined && FULFILMENT_WORDS.has(word));
  // "jam 7 udah buka?" asks about the shop; "bisa dianter jam 10?" still says when.
  if (question && !nearFulfilment) return { ...(contactPhone !== undefined ? { contactPhone } : {}), tokens };
  const source = alignText(text);
  for (let i = 0; i < a.tokens.length; i++) {
    if (tokens.has(i)) continue;
    const end = timePhraseEnd(a, i, nearFulfilment);
    if (end === undefined) continue;
    phrases.push(source.slice(a.tokens[i].start, a.tokens[end - 1].end));
    for (let k = i; k < end; k++) tokens.add(k);
    i = end - 1;
  }
  return { ...(phrases.length > 0 ? { when: phrases.join(' ').replace(/\s+/g, ' ').slice(0, 100) } : {}), ...(contactPhone !== undefined ? { contactPhone } : {}), tokens };
}

/** The end of a time phrase starting at i, or undefined when none starts there. */
function timePhraseEnd(a: MessageAnalysis, i: number, nearFulfilment: boolean): number | undefined {
  const word = a.words[i];
  if (word === undefined) return undefined;
  let end = i;
  let clock = false;
  // Leading words: relations, a day, "nanti"/"hari ini".
  while (end < a.tokens.length) {
    const w = a.words[end];
    if (w !== undefined && TIME_RELATIONS.has(w) && startsTime(a, end + 1)) end++;
    else if (w !== undefined && (DAYS.has(w) || TIME_QUALIFIED.has(w)) && (startsTime(a, end + 1) || (DAYS.has(w) && nearFulfilment))) {
      end++;
      if (w === 'hari' && a.words[end] === 'ini') end++;
    } else break;
  }
  const w = a.words[end];
  if (w !== undefined && TIME_LEADS.has(w) && a.tokens[end + 1]?.kind === 'num') {
    clock = true;
    end += 2;
    // "jam 10:30", "jam 9-10": the minutes or the end of the range.
    while (end < a.tokens.length && a.tokens[end].kind === 'num' && end - i < 6) end++;
    if (a.words[end] !== undefined && DAY_PARTS.has(a.words[end]!)) end++;
  } else if (w !== undefined && (DAY_PARTS.has(w) || PRAYERS.has(w)) && end > i) end++;
  else if (w !== undefined && DAY_PARTS.has(w) && nearFulfilment && !greets(a, end)) end++;
  if (end === i) return undefined;
  while (end < a.tokens.length && a.words[end] !== undefined && TIME_TAILS.has(a.words[end]!)) end++;
  // A day or a day part alone counts only in a message about delivery or collection.
  if (!clock && !nearFulfilment) return undefined;
  return end;
}

function startsTime(a: MessageAnalysis, i: number): boolean {
  const w = a.words[i];
  if (w === undefined) return false;
  return (TIME_LEADS.has(w) && a.tokens[i + 1]?.kind === 'num') || DAY_PARTS.has(w) || PRAYERS.has(w) || DAYS.has(w) || TIME_RELATIONS.has(w) || w === 'nanti';
}

/** "selamat pagi", "met sore": a greeting, not a time. */
function greets(a: MessageAnalysis, i: number): boolean {
  const before = a.words[i - 1];
  return before === 'selamat' || before === 'met' || before === 'slmt';
}

/** A mobile number: "0813 7771 2345", "+62 813-7771-2345", with the words that lead into it. */
function findPhone(a: MessageAnalysis): { start: number; end: number; digits: string } | undefined {
  for (let i = 0; i < a.tokens.length; i++) {
    const first = a.tokens[i];
    if (first.kind !== 'num' || !/^(08|628|62$)/.test(first.text)) continue;
    let digits = '';
    let end = i;
    while (end < a.tokens.length && a.tokens[end].kind === 'num' && /^\d+$/.test(a.tokens[end].text) && digits.length + a.tokens[end].text.length <= 14) digits += a.tokens[end++].text;
    const local = digits.startsWith('62') ? `0${digits.slice(2)}` : digits;
    if (!/^08\d{8,11}$/.test(local)) continue;
    // Back over "no hp saya", "wa aku di": from the first lead word on.
    let start = i > 0 && a.tokens[i - 1].text === '+' ? i - 1 : i;
    for (let j = start - 1; j >= 0 && i - j <= 4; j--) {
      const word = a.words[j] ?? '';
      if (PHONE_LEADS.has(word)) start = j;
      else if (a.tokens[j].kind === 'sep') continue;
      else if (!PHONE_OWNERS.has(word)) break;
    }
    return { start, end, digits: local };
  }
  return undefined;
}

/** The analysis without the given tokens. */
export function withoutTokens(a: MessageAnalysis, drop: ReadonlySet<number>): MessageAnalysis {
  if (drop.size === 0) return a;
  const keep = (_: unknown, i: number) => !drop.has(i);
  return { tokens: a.tokens.filter(keep), infos: a.infos.filter(keep), words: a.words.filter(keep), keys: a.keys.filter(keep) };
}
