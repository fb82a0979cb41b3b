/**
 * Reads the short commands cooperative staff type on WhatsApp/SMS to move orders along
 * ("SIAP 1024", "TOLAK 1024 stok habis", "LUNAS #1024", "STOK gula +10").
 *
 * Forgiving about form (case, "#", list separators, polite tails, emoji, WhatsApp *bold*),
 * strict about meaning: whatever could name the wrong order or the wrong step gives `usage`,
 * so the caller asks again instead of acting. Judgement calls, in one place:
 * - The message must START with a keyword. A keyword glued to a digit ("ok2", "siap2") is
 *   Indonesian reduplication ("ok-ok"), not a command: undefined.
 * - "ok"/"oke" followed by no digit at all ("ok", "ok makasih", "oke nanti saya cek") and "siap"
 *   followed only by acknowledgements or polite words ("siap", "siap kak 👍", "siap laksanakan")
 *   are everyday chat: undefined. Every other action keyword without a usable number: usage.
 *   "terima kasih" is thanks, not TERIMA: undefined.
 * - Only order nouns may stand before a number: "pesanan", "order", "no", "no.", "nomor", "nmr".
 *   Any other word ("SIAP kak 1024", "SIAP seribu dua puluh empat") gives usage: numbers are never
 *   guessed from words.
 * - A number glued to letters or carrying a thousands/decimal mark ("10x4", "1024a", "1.024",
 *   "12,345") gives usage. "1024,1025" is a list: a four-digit group cannot be thousands.
 *   Order numbers have 1-9 digits and are above 0; at most MAX_ORDER_NUMBERS per message.
 * - A trailing "?" makes an action a question ("SIAP 1024?"): usage. A TOLAK reason may end in "?".
 * - TOLAK takes one number; a reason that starts with another number ("TOLAK 1024 1025",
 *   "TOLAK 1024 dan 1025", "TOLAK 1024 3 item habis") is ambiguous: usage.
 * - STOK: a unit after the quantity ("STOK gula 25 kg") gives usage, because the stock unit is not
 *   known here and "500 gram" must not become 500 kg. Exactly three digits after the mark with a
 *   non-zero whole part ("1.500", "2,000") may be thousands or a decimal: usage; "0,250" is 0.25.
 *   "tambah"/"kurang"/"jadi"/"sisa" right before the number mean +/-/set. Adding or subtracting
 *   needs a quantity above 0.
 * - PESANAN/ORDER/DAFTAR and BANTUAN/HELP/MENU/? accept only polite tails (the list also "daftar
 *   pesanan", "order masuk"); anything else after them reads like a resident's message: undefined.
 */

export type StaffOrderStep = 'confirmed' | 'ready' | 'delivering' | 'completed';

export type StaffCommand =
  | { kind: 'order-step'; to: StaffOrderStep; numbers: number[] }
  | { kind: 'reject'; number: number; reason?: string }
  | { kind: 'mark-paid'; numbers: number[] }
  | { kind: 'list-open' }
  | { kind: 'stock'; product: string; quantity: number; mode: 'set' | 'add' | 'subtract' }
  | { kind: 'help' }
  | { kind: 'usage'; command: 'OK' | 'SIAP' | 'ANTAR' | 'SELESAI' | 'TOLAK' | 'LUNAS' | 'STOK' };

type UsageCommand = Extract<StaffCommand, { kind: 'usage' }>['command'];

/** How chatty "ok"/"siap" may be before it counts as an attempted command. */
type Quiet = 'no-digit' | 'ack-only' | 'never';

type Meaning =
  | { kind: 'step'; to: StaffOrderStep; usage: UsageCommand; quiet: Quiet }
  | { kind: 'reject' | 'paid' | 'list' | 'stock' | 'help' };

const step = (to: StaffOrderStep, usage: UsageCommand, quiet: Quiet = 'never'): Meaning => ({ kind: 'step', to, usage, quiet });

/** Keys are lower case with doubled letters collapsed ("siapp" -> "siap"); no keyword has a real double letter. */
const KEYWORDS: ReadonlyMap<string, Meaning> = new Map<string, Meaning>([
  ['ok', step('confirmed', 'OK', 'no-digit')],
  ['oke', step('confirmed', 'OK', 'no-digit')],
  ['terima', step('confirmed', 'OK')],
  ['konfirmasi', step('confirmed', 'OK')],
  ['konfirm', step('confirmed', 'OK')],
  ['siap', step('ready', 'SIAP', 'ack-only')],
  ['antar', step('delivering', 'ANTAR')],
  ['kirim', step('delivering', 'ANTAR')],
  ['diantar', step('delivering', 'ANTAR')],
  ['selesai', step('completed', 'SELESAI')],
  ['beres', step('completed', 'SELESAI')],
  ['done', step('completed', 'SELESAI')],
  ['tolak', { kind: 'reject' }],
  ['batal', { kind: 'reject' }],
  ['batalkan', { kind: 'reject' }],
  ['lunas', { kind: 'paid' }],
  ['bayar', { kind: 'paid' }],
  ['paid', { kind: 'paid' }],
  ['pesanan', { kind: 'list' }],
  ['order', { kind: 'list' }],
  ['orders', { kind: 'list' }],
  ['daftar', { kind: 'list' }],
  ['stok', { kind: 'stock' }],
  ['stock', { kind: 'stock' }],
  ['bantuan', { kind: 'help' }],
  ['help', { kind: 'help' }],
  ['menu', { kind: 'help' }],
]);

/** Polite words ignored at the end of a command (collapsed spelling: "kakk" -> "kak", "boss" -> "bos"). */
const TAIL_WORDS = new Set([
  'kak', 'kakak', 'ka', 'ya', 'iya', 'yah', 'ok', 'oke', 'okay', 'okey', 'min', 'admin', 'pak', 'bapak', 'bu', 'ibu',
  'mas', 'mba', 'mbak', 'dong', 'gan', 'bos', 'makasih', 'makasi', 'mksh', 'terimakasih', 'trims', 'tks', 'thx', 'thanks',
]);
/** Tail words that only count after a given word ("terima kasih", "thank you", "makasih banyak"). */
const TAIL_AFTER: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['kasih', new Set(['terima'])],
  ['you', new Set(['thank'])],
  ['banyak', new Set(['kasih', 'makasih', 'makasi', 'terimakasih'])],
]);
/** Words that make "siap ..." a plain acknowledgement rather than a command. */
const ACK_WORDS = new Set([
  ...TAIL_WORDS, 'siap', 'sip', 'baik', 'noted', 'mantap', 'mantab', 'laksanakan', 'otw', 'deh', 'terima', 'kasih',
  'thank', 'you', 'banyak', 'sudah', 'udah',
]);
/** Order nouns allowed before a number ("SIAP pesanan 1024", "LUNAS no. 1024"). */
const NUMBER_FILLERS = new Set(['pesanan', 'pesan', 'order', 'orderan', 'no', 'nomor', 'nomer', 'nmr']);
/** Words that join order numbers besides "," "&" ";". */
const AND_WORDS = new Set(['dan', 'and', 'sama', 'sm']);
/** Words allowed after PESANAN/ORDER/DAFTAR ("daftar pesanan", "order masuk"). */
const LIST_WORDS = new Set(['pesanan', 'order', 'orders', 'orderan', 'masuk', 'aktif', 'terbuka', 'open']);
/** Words that set the stock mode when written instead of a sign ("STOK gula tambah 10"). */
const STOCK_MODE_WORDS: ReadonlyMap<string, 'set' | 'add' | 'subtract'> = new Map([
  ['tambah', 'add'], ['tambahkan', 'add'], ['tambahin', 'add'], ['plus', 'add'],
  ['kurang', 'subtract'], ['kurangi', 'subtract'], ['kurangin', 'subtract'], ['minus', 'subtract'],
  ['jadi', 'set'], ['sisa', 'set'],
]);

/** More distinct order numbers than this in one message is most likely a paste accident. */
const MAX_ORDER_NUMBERS = 50;
const MAX_ORDER_DIGITS = 9;
const MAX_STOCK_DIGITS = 9;
const MAX_STOCK_DECIMALS = 3;

const LETTER = /[\p{L}\p{M}]/u;
const DIGIT = /[0-9]/;
/** Ignored at the end of a command: spaces, closing punctuation, emoji, WhatsApp formatting. */
const JUNK = /^[\s.!,;~*_`\p{So}\p{Sk}\p{Extended_Pictographic}\p{Emoji_Modifier}\u200d\ufe0f\u20e3]$/u;
/** Formatting and quote marks before the keyword ("*SIAP* 1024", "> SIAP 1024"). */
const LEADING_MARKS = /^[\s*_~`>]*/u;
/** What may stand between the keyword and its arguments. */
const AFTER_KEYWORD = /^[*_~`]*\s*(?:[:,]|[-\u2013\u2014](?=\s))?\s*/u;
const MINUS_SIGNS = new Set(['-', '\u2212', '\u2013']);
const STOCK_QUANTITY = /^([+\-\u2212\u2013]?)(\d+)(?:[.,](\d+))?$/;
const PLAIN_NUMBER = /^[+\-\u2212\u2013]?\d+(?:[.,]\d+)?$/;

const usage = (command: UsageCommand): StaffCommand => ({ kind: 'usage', command });

/** Collapses doubled letters so stretched typing still matches ("siapp", "lunass", "kakk"). */
function collapseRepeats(word: string): string {
  let out = '';
  let previous = '';
  for (const ch of word) {
    if (ch !== previous) out += ch;
    previous = ch;
  }
  return out;
}

/** Start of the code point that ends at `end` (keeps emoji surrogate pairs whole). */
function previousCodePointStart(s: string, end: number): number {
  const lo = s.charCodeAt(end - 1);
  if (end >= 2 && lo >= 0xdc00 && lo <= 0xdfff) {
    const hi = s.charCodeAt(end - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return end - 2;
  }
  return end - 1;
}

/** The letter run that ends exactly at `end`, unless it is glued to a digit ("1024kak"). */
function wordBefore(s: string, start: number, end: number): { start: number; word: string } | undefined {
  let i = end;
  while (i > start) {
    const p = previousCodePointStart(s, i);
    if (!LETTER.test(s.slice(p, i))) break;
    i = p;
  }
  if (i === end) return undefined;
  if (i > start && DIGIT.test(s[i - 1])) return undefined;
  return { start: i, word: collapseRepeats(s.slice(i, end).toLowerCase()) };
}

interface TrimmedEnd {
  end: number;
  /** True when a "?" was dropped from the end. */
  question: boolean;
}

/** "ok" closing a reason may be part of it ("barang tidak ok"), so reasons keep it. */
const REASON_KEEPS = new Set(['ok', 'oke', 'okay', 'okey']);

/**
 * Moves `end` back over trailing punctuation, emoji and polite tails ("1024 ya kak, makasih!").
 * For a reason, stops at a "?" (the reason keeps it) and keeps a closing "ok".
 */
function trimEnd(s: string, start: number, end: number, forReason: boolean): TrimmedEnd {
  let question = false;
  for (;;) {
    while (end > start) {
      const p = previousCodePointStart(s, end);
      const ch = s.slice(p, end);
      if (JUNK.test(ch)) end = p;
      else if (ch === '?' && !forReason) { question = true; end = p; }
      else break;
    }
    const last = wordBefore(s, start, end);
    if (last === undefined) return { end, question };
    if (TAIL_WORDS.has(last.word) && !(forReason && REASON_KEEPS.has(last.word))) { end = last.start; continue; }
    const needs = TAIL_AFTER.get(last.word);
    if (needs === undefined) return { end, question };
    let gap = last.start;
    while (gap > start && /\s/.test(s[gap - 1])) gap--;
    const before = gap < last.start ? wordBefore(s, start, gap) : undefined;
    if (before === undefined || !needs.has(before.word)) return { end, question };
    // "banyak" goes alone so the next round can check "makasih"/"terima kasih" before it.
    end = last.word === 'banyak' ? last.start : before.start;
  }
}

type TokenKind = 'num' | 'word' | 'hash' | 'sep' | 'dot' | 'colon' | 'other';

interface Token {
  kind: TokenKind;
  /** Digits, lower-cased collapsed word, or the character. */
  text: string;
  start: number;
  /** True when no space separates this token from the previous one. */
  glued: boolean;
}

/** Splits argument text into numbers, words and marks, keeping offsets into the original text. */
function scan(s: string): Token[] {
  const tokens: Token[] = [];
  let glued = false;
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    if (/\s/.test(ch)) { glued = false; i += ch.length; continue; }
    const start = i;
    if (DIGIT.test(ch)) {
      while (i < s.length && DIGIT.test(s[i])) i++;
      tokens.push({ kind: 'num', text: s.slice(start, i), start, glued });
    } else if (LETTER.test(ch)) {
      i += ch.length;
      while (i < s.length) {
        const next = String.fromCodePoint(s.codePointAt(i) ?? 0);
        if (!LETTER.test(next)) break;
        i += next.length;
      }
      tokens.push({ kind: 'word', text: collapseRepeats(s.slice(start, i).toLowerCase()), start, glued });
    } else {
      i += ch.length;
      const kind: TokenKind = ch === '#' ? 'hash' : ch === ',' || ch === '&' || ch === ';' ? 'sep' : ch === '.' ? 'dot' : ch === ':' ? 'colon' : 'other';
      tokens.push({ kind, text: ch, start, glued });
    }
    glued = true;
  }
  return tokens;
}

type ItemRead = { ok: true; value: number; next: number } | { ok: false };

/** Reads "[order nouns] [#] digits" from token `i`; fails on anything that could misname the order. */
function readOrderNumber(tokens: Token[], i: number): ItemRead {
  const fail: ItemRead = { ok: false };
  for (;;) {
    const t = tokens[i];
    if (t === undefined) return fail;
    if (t.kind === 'word' && NUMBER_FILLERS.has(t.text)) {
      i++;
      if (tokens[i]?.kind === 'dot' && tokens[i].glued) i++;
      continue;
    }
    if (t.kind === 'colon') { i++; continue; }
    break;
  }
  if (tokens[i]?.kind === 'hash') i++;
  const num = tokens[i];
  if (num === undefined || num.kind !== 'num') return fail;
  if (num.text.length > MAX_ORDER_DIGITS) return fail;
  const value = Number(num.text);
  if (value <= 0) return fail;
  const after = tokens[i + 1];
  if (after !== undefined && after.glued) {
    if (after.kind === 'word' || after.kind === 'hash') return fail;
    // "1.024", "1024.5", "12,345": a thousands or decimal mark, not a list.
    const then = tokens[i + 2];
    if ((after.kind === 'dot' || after.kind === 'sep') && then?.kind === 'num' && then.glued) {
      if (after.kind === 'dot') return fail;
      if (after.text === ',' && num.text.length <= 3 && then.text.length === 3) return fail;
    }
  }
  return { ok: true, value, next: i + 1 };
}

/** Reads a whole list of order numbers ("#1024, 1025 dan 1026"); undefined when any part is off. */
function readOrderNumbers(args: string): number[] | undefined {
  const tokens = scan(args);
  const seen = new Set<number>();
  let i = 0;
  for (;;) {
    const item = readOrderNumber(tokens, i);
    if (!item.ok) return undefined;
    seen.add(item.value);
    if (seen.size > MAX_ORDER_NUMBERS) return undefined;
    i = item.next;
    if (i >= tokens.length) return [...seen];
    while (i < tokens.length && (tokens[i].kind === 'sep' || (tokens[i].kind === 'word' && AND_WORDS.has(tokens[i].text)))) i++;
  }
}

function hasOnlyWordsFrom(args: string, words: ReadonlySet<string>): boolean {
  return scan(args).every((t) => (t.kind === 'word' ? words.has(t.text) : t.kind !== 'num' && t.kind !== 'hash'));
}

function parseStep(meaning: Extract<Meaning, { kind: 'step' }>, args: string, question: boolean): StaffCommand | undefined {
  if (meaning.quiet === 'no-digit' && !/\d/.test(args)) return undefined;
  if (meaning.quiet === 'ack-only' && hasOnlyWordsFrom(args, ACK_WORDS)) return undefined;
  if (args === '' || question) return usage(meaning.usage);
  const numbers = readOrderNumbers(args);
  return numbers === undefined ? usage(meaning.usage) : { kind: 'order-step', to: meaning.to, numbers };
}

function parsePaid(args: string, question: boolean): StaffCommand {
  const numbers = args === '' || question ? undefined : readOrderNumbers(args);
  return numbers === undefined ? usage('LUNAS') : { kind: 'mark-paid', numbers };
}

/** TOLAK: one order number, then the reason in the staff member's own words. */
function parseReject(text: string, argStart: number): StaffCommand {
  const bare = trimEnd(text, argStart, text.length, false);
  const tokens = scan(text.slice(argStart, bare.end));
  const item = readOrderNumber(tokens, 0);
  if (!item.ok) return usage('TOLAK');
  const restToken = tokens[item.next];
  // Nothing but the number: "TOLAK 1024?" asks, it does not reject.
  if (restToken === undefined) return bare.question ? usage('TOLAK') : { kind: 'reject', number: item.value };
  const { end } = trimEnd(text, argStart, text.length, true);
  const rest = text.slice(argStart + restToken.start, end).replace(/^[\s.,:;|\-\u2013\u2014]+/u, '');
  // A second order number where the reason should start: which order was meant?
  const restTokens = scan(rest);
  let j = 0;
  while (j < restTokens.length && (restTokens[j].kind === 'sep' || (restTokens[j].kind === 'word' && AND_WORDS.has(restTokens[j].text)))) j++;
  if (readOrderNumber(restTokens, j).ok || restTokens[j]?.kind === 'num') return usage('TOLAK');
  const reason = rest.trim();
  if (reason === '' || REASON_KEEPS.has(collapseRepeats(reason.toLowerCase()))) return { kind: 'reject', number: item.value };
  return { kind: 'reject', number: item.value, reason };
}

function parseStock(args: string, question: boolean): StaffCommand {
  const fail = usage('STOK');
  if (question) return fail;
  const words = args.toLowerCase().replace(/[:=]/g, ' ').split(/\s+/).filter((w) => w !== '');
  const last = words.pop();
  const match = last === undefined ? null : STOCK_QUANTITY.exec(last);
  if (match === null) return fail;
  let sign = match[1];
  if (sign === '' && words.length > 0 && (words[words.length - 1] === '+' || MINUS_SIGNS.has(words[words.length - 1]))) {
    sign = words.pop() ?? '';
  }
  let mode: 'set' | 'add' | 'subtract' = sign === '+' ? 'add' : sign === '' ? 'set' : 'subtract';
  const modeWord = words.length > 0 ? STOCK_MODE_WORDS.get(collapseRepeats(words[words.length - 1])) : undefined;
  if (modeWord !== undefined) {
    if (sign !== '' && modeWord !== mode) return fail;
    mode = modeWord;
    words.pop();
  }
  const whole = match[2];
  const decimals = match[3] ?? '';
  if (whole.length > MAX_STOCK_DIGITS || decimals.length > MAX_STOCK_DECIMALS) return fail;
  if (decimals.length === 3 && Number(whole) !== 0) return fail;
  const quantity = Number(decimals === '' ? whole : `${whole}.${decimals}`);
  if (mode !== 'set' && quantity <= 0) return fail;
  const product = words.map((w) => w.replace(/^[,.;]+|[,.;]+$/g, '')).filter((w) => w !== '');
  if (product.length === 0 || !product.every((w) => /[\p{L}\d]/u.test(w)) || !product.some((w) => LETTER.test(w))) return fail;
  if (PLAIN_NUMBER.test(product[product.length - 1])) return fail;
  return { kind: 'stock', product: product.join(' '), quantity, mode };
}

/** Parses a staff chat command; undefined when the text is not a staff command at all. */
export function parseStaffCommand(text: string): StaffCommand | undefined {
  if (typeof text !== 'string') return undefined;
  const begin = LEADING_MARKS.exec(text)?.[0].length ?? 0;

  if (text[begin] === '?') {
    const { end } = trimEnd(text, begin, text.length, false);
    return end === begin ? { kind: 'help' } : undefined;
  }

  let keywordEnd = begin;
  while (keywordEnd < text.length) {
    const next = String.fromCodePoint(text.codePointAt(keywordEnd) ?? 0);
    if (!LETTER.test(next)) break;
    keywordEnd += next.length;
  }
  if (keywordEnd === begin) return undefined;
  const keyword = collapseRepeats(text.slice(begin, keywordEnd).toLowerCase());
  const meaning = KEYWORDS.get(keyword);
  if (meaning === undefined) return undefined;
  // "ok2", "siap2": reduplication, not a number.
  if (keywordEnd < text.length && DIGIT.test(text[keywordEnd])) return undefined;

  const argStart = keywordEnd + (AFTER_KEYWORD.exec(text.slice(keywordEnd))?.[0].length ?? 0);
  if (keyword === 'terima' && /^kasih(?![\p{L}\d])/iu.test(text.slice(argStart))) return undefined;

  if (meaning.kind === 'reject') return parseReject(text, argStart);

  const { end, question } = trimEnd(text, argStart, text.length, false);
  const args = end > argStart ? text.slice(argStart, end) : '';
  switch (meaning.kind) {
    case 'step':
      return parseStep(meaning, args, question);
    case 'paid':
      return parsePaid(args, question);
    case 'stock':
      return parseStock(args, question);
    case 'list':
      return hasOnlyWordsFrom(args, LIST_WORDS) && !scan(args).some((t) => t.kind === 'other') ? { kind: 'list-open' } : undefined;
    case 'help':
      return args === '' ? { kind: 'help' } : undefined;
  }
}
