const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENDED = '^{}\\[~]|€\f';
const BASIC_SET = new Set(BASIC);
const EXTENDED_SET = new Set(EXTENDED);

/** One SMS segment holds 160 GSM-7 septets. */
export const GSM7_SEGMENT = 160;

/**
 * Look-alikes for characters outside GSM-7 that coop data and typed text carry (opening
 * hours "07.00–20.00", “quoted” names, non-breaking spaces from spreadsheets). Anything not
 * listed here and not an accented letter is dropped.
 */
const REPLACEMENTS: Record<string, string> = {
  // Quotes and primes.
  '‘': "'",
  '’': "'",
  '‚': "'",
  '‛': "'",
  '‹': "'",
  '›': "'",
  '′': "'",
  '´': "'",
  '`': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '‟': '"',
  '«': '"',
  '»': '"',
  '″': '"',
  // Dashes, hyphens and minus signs; a soft hyphen is invisible.
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '—': '-',
  '―': '-',
  '−': '-',
  '\u00ad': '',
  // Spaces of every width; zero-width ones and variation selectors vanish.
  '\u00a0': ' ',
  '\u2000': ' ',
  '\u2001': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2004': ' ',
  '\u2005': ' ',
  '\u2006': ' ',
  '\u2007': ' ',
  '\u2008': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u205f': ' ',
  '\u3000': ' ',
  '\t': ' ',
  '\u200b': '',
  '\u200c': '',
  '\u200d': '',
  '\u2060': '',
  '\ufeff': '',
  '\ufe0e': '',
  '\ufe0f': '',
  // Line separators.
  '\u2028': '\n',
  '\u2029': '\n',
  '\u0085': '\n',
  // Symbols with a plain equivalent.
  '…': '...',
  '×': 'x',
  '÷': '/',
  '⁄': '/',
  '•': '-',
  '·': '-',
  '‣': '-',
  '◦': '-',
  '▪': '-',
  '©': '(c)',
  '®': '(R)',
  // Letters that do not decompose into a base letter and a mark.
  'œ': 'oe',
  'Œ': 'OE',
  'đ': 'd',
  'Đ': 'D',
  'ł': 'l',
  'Ł': 'L',
  'ı': 'i',
};

const isGsm7 = (char: string) => BASIC_SET.has(char) || EXTENDED_SET.has(char);

/** Septets the text takes in GSM-7, or undefined when a character is outside the alphabet. */
export function measureGsm7(text: string): number | undefined {
  let septets = 0;
  for (const char of text) {
    if (BASIC_SET.has(char)) septets += 1;
    else if (EXTENDED_SET.has(char)) septets += 2;
    else return undefined;
  }
  return septets;
}

/** Rewrites text into the GSM-7 alphabet: typographic marks to ASCII, accents dropped, the rest removed. */
export function toGsm7(text: string): string {
  let out = '';
  for (const char of text) {
    if (isGsm7(char)) {
      out += char;
      continue;
    }
    const replacement = REPLACEMENTS[char];
    if (replacement !== undefined) {
      out += replacement;
      continue;
    }
    // "ő" -> "o", full-width "Ａ" -> "A", "½" -> "1/2", "™" -> "TM": compatibility forms, marks dropped.
    for (const part of char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')) {
      if (isGsm7(part)) out += part;
      else out += REPLACEMENTS[part] ?? '';
    }
    // Anything else (emoji, symbols) is dropped: SMS would fall back to UCS-2 and 70 characters.
  }
  return out.replace(/ {2,}/g, ' ');
}
