/** Indonesian (and a few English) number words: "dua puluh lima ribu", "satu setengah", "seperempat". */

type NumberWord =
  | { kind: 'digit'; value: number }
  | { kind: 'teen' } // belas: adds ten to the digit before it
  | { kind: 'scale'; factor: number } // puluh, ratus
  | { kind: 'big'; factor: number } // ribu, juta: closes a group
  | { kind: 'fraction'; value: number }; // setengah, seperempat

const DIGITS: Record<string, number> = {
  nol: 0, kosong: 0, satu: 1, dua: 2, tiga: 3, empat: 4, lima: 5, enam: 6, tujuh: 7, delapan: 8, sembilan: 9,
  sepuluh: 10, sebelas: 11, seratus: 100,
  // Palembang and Javanese forms heard in Bandar Lampung.
  duo: 2, tigo: 3, limo: 5, loro: 2, telu: 3,
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12,
};

export const NUMBER_WORDS = new Map<string, NumberWord>();
for (const [w, v] of Object.entries(DIGITS)) NUMBER_WORDS.set(w, { kind: 'digit', value: v });
NUMBER_WORDS.set('belas', { kind: 'teen' });
NUMBER_WORDS.set('puluh', { kind: 'scale', factor: 10 });
NUMBER_WORDS.set('ratus', { kind: 'scale', factor: 100 });
for (const w of ['ribu', 'rebu', 'rb', 'rbu']) NUMBER_WORDS.set(w, { kind: 'big', factor: 1000 });
for (const w of ['juta', 'jt']) NUMBER_WORDS.set(w, { kind: 'big', factor: 1_000_000 });
NUMBER_WORDS.set('seribu', { kind: 'digit', value: 1000 });
NUMBER_WORDS.set('sejuta', { kind: 'digit', value: 1_000_000 });
for (const w of ['setengah', 'stengah', 'stgh', 'setgh', 'half']) NUMBER_WORDS.set(w, { kind: 'fraction', value: 0.5 });
for (const w of ['seperempat', 'sprempat', 'quarter']) NUMBER_WORDS.set(w, { kind: 'fraction', value: 0.25 });
NUMBER_WORDS.set('tigaperempat', { kind: 'fraction', value: 0.75 });

/** Money slang used at the warung. */
export const MONEY_WORDS = new Map<string, number>([
  ['cepek', 100], ['gopek', 500], ['seceng', 1000], ['ceceng', 1000], ['noceng', 2000], ['goceng', 5000],
  ['ceban', 10_000], ['goban', 50_000], ['cepe', 100], ['gocap', 50_000],
]);

export interface NumberReading {
  value: number;
  /** Index just after the last word read. */
  end: number;
  /** True when ribu/juta appeared: the number reads as money unless a unit follows. */
  big: boolean;
}

/**
 * Reads number words from words[start]. `initial` is a digit value already read (for "2 setengah",
 * "5 ribu"). Returns undefined when nothing numeric was read.
 */
export function readNumberWords(words: readonly (string | undefined)[], start: number, initial?: number): NumberReading | undefined {
  let total = 0;
  let group = initial ?? 0;
  let any = initial !== undefined;
  let big = false;
  let lastWasDigit = initial !== undefined;
  let i = start;
  for (; i < words.length; i++) {
    const w = words[i];
    if (w === undefined) break;
    const nw = NUMBER_WORDS.get(w);
    if (nw === undefined) break;
    if (nw.kind === 'digit') {
      // "dua tiga" is two numbers, not 23: stop at a second bare digit.
      if (lastWasDigit) break;
      group += nw.value;
      lastWasDigit = nw.value < 10;
    } else if (nw.kind === 'teen') {
      if (!lastWasDigit) break;
      group += 10;
      lastWasDigit = false;
    } else if (nw.kind === 'scale') {
      if (!lastWasDigit) break;
      // Only the trailing digit scales: "seratus dua puluh" = 100 + 2*10.
      const digit = group % 10;
      group = group - digit + digit * nw.factor;
      lastWasDigit = false;
    } else if (nw.kind === 'big') {
      if (!any) break;
      total += (group === 0 ? 1 : group) * nw.factor;
      group = 0;
      big = true;
      lastWasDigit = false;
    } else {
      // A fraction adds to what came before ("dua setengah" = 2.5) and ends the number.
      group += nw.value;
      any = true;
      i++;
      break;
    }
    any = true;
  }
  if (!any) return undefined;
  return { value: total + group, end: i, big };
}
