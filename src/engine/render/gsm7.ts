const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENDED = '^{}\\[~]|€\f';
const BASIC_SET = new Set(BASIC);
const EXTENDED_SET = new Set(EXTENDED);

/** One SMS segment holds 160 GSM-7 septets. */
export const GSM7_SEGMENT = 160;

const REPLACEMENTS: Record<string, string> = {
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '×': 'x',
  '•': '-',
  '·': '-',
  '\u00a0': ' ',
  '\t': ' ',
};

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
    if (BASIC_SET.has(char) || EXTENDED_SET.has(char)) {
      out += char;
      continue;
    }
    const replacement = REPLACEMENTS[char];
    if (replacement !== undefined) {
      out += replacement;
      continue;
    }
    const plain = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if ([...plain].every((part) => BASIC_SET.has(part))) out += plain;
    // Anything else (emoji, symbols) is dropped: SMS would fall back to UCS-2 and 70 characters.
  }
  return out.replace(/ {2,}/g, ' ');
}
