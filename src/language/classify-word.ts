import { allowedTypos, measureEditDistance } from './edit-distance.js';
import { FUZZY_KEYWORDS, NON_CATALOGUE_WORDS, SLANG, isKnownWord } from './lexicon.js';
import { MONEY_WORDS, NUMBER_WORDS } from './number-words.js';
import { looksLikeVerb, stripVerbAffixes } from './strip-affixes.js';
import { lookupSeUnit, lookupUnit, TYPO_PRONE_UNIT_WORDS } from './units.js';

/** What a single word is, once slang, repeated letters, suffixes and typos are dealt with. */
export interface WordInfo {
  /** Canonical form: product word, lexicon word, or the word itself when unknown. */
  canon: string;
  kind: 'product' | 'unit' | 'seunit' | 'number' | 'known' | 'unknown';
  /** Unit code for 'unit' and 'seunit'. */
  unit?: string;
}

/** The product words of one catalogue, with fuzzy candidates bucketed by length. */
export interface ProductVocabulary {
  readonly words: ReadonlySet<string>;
  /** Product words written without their vowels ("tlr" for telur, "mnyk" for minyak), where only one product has that spelling. */
  readonly withoutVowels: ReadonlyMap<string, string>;
  readonly byLength: ReadonlyMap<number, readonly string[]>;
  readonly cache: Map<string, WordInfo>;
}

const CACHE_LIMIT = 50_000;
const MAX_WORD_LENGTH = 32;

function byLength(words: readonly string[]): Map<number, string[]> {
  const buckets = new Map<number, string[]>();
  for (const word of words) {
    const list = buckets.get(word.length) ?? [];
    list.push(word);
    buckets.set(word.length, list);
  }
  return buckets;
}

const KEYWORDS_BY_LENGTH = byLength(FUZZY_KEYWORDS);
const UNITS_BY_LENGTH = byLength(TYPO_PRONE_UNIT_WORDS);

/** The consonants of a word, as texting drops the vowels ("telur" -> "tlr"). */
export function dropVowels(word: string): string {
  return word.replace(/[aiueo]/g, '');
}

function collapseDoubles(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) if (i === 0 || word[i] !== word[i - 1]) out += word[i];
  return out;
}

const SUFFIXES = ['nya', 'ny', 'kah', 'lah', 'ku', 'in'];

function classifyExact(word: string, vocab: ProductVocabulary): WordInfo | undefined {
  if (vocab.words.has(word)) return { canon: word, kind: 'product' };
  const slang = SLANG.get(word);
  if (slang !== undefined) {
    if (vocab.words.has(slang)) return { canon: slang, kind: 'product' };
    return { canon: slang, kind: 'known' };
  }
  const unit = lookupUnit(word, false);
  if (unit !== undefined) return { canon: word, kind: 'unit', unit };
  if (NUMBER_WORDS.has(word) || MONEY_WORDS.has(word)) return { canon: word, kind: 'number' };
  if (isKnownWord(word)) return { canon: word, kind: 'known' };
  const seUnit = lookupSeUnit(word);
  if (seUnit !== undefined) return { canon: word, kind: 'seunit', unit: seUnit };
  return undefined;
}

function findClosest(word: string, byLength: ReadonlyMap<number, readonly string[]>): string | undefined {
  const max = allowedTypos(word.length);
  if (max === 0) return undefined;
  let best: string | undefined;
  let bestDistance = max + 1;
  for (let len = word.length - max; len <= word.length + max; len++) {
    const list = byLength.get(len);
    if (list === undefined) continue;
    for (const candidate of list) {
      // Short targets never take typos either ("mi", "teh").
      if (candidate.length <= 3) continue;
      // Typos rarely hit the first letter; allowing it turns "bayam" into "ayam", "kasir" into "pasir".
      if (candidate[0] !== word[0] && !(candidate[0] === word[1] && candidate[1] === word[0])) continue;
      const d = measureEditDistance(word, candidate, Math.min(max, bestDistance));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
  }
  return bestDistance <= max ? best : undefined;
}

function classifyUncached(word: string, vocab: ProductVocabulary): WordInfo {
  const exact = classifyExact(word, vocab);
  if (exact) return exact;
  const collapsed = collapseDoubles(word);
  if (collapsed !== word) {
    const c = classifyExact(collapsed, vocab);
    if (c) return c;
  }
  for (const suffix of SUFFIXES) {
    if (word.length - suffix.length >= 3 && word.endsWith(suffix)) {
      const base = word.slice(0, -suffix.length);
      const c = classifyExact(base, vocab) ?? (collapseDoubles(base) !== base ? classifyExact(collapseDoubles(base), vocab) : undefined);
      if (c && c.kind !== 'number') return c;
    }
  }
  if (NON_CATALOGUE_WORDS.has(word)) return { canon: word, kind: 'unknown' };
  // "membatalkan" = batal, "dicek" = cek: affixed forms of the intent verbs.
  const verb = stripVerbAffixes(word);
  if (verb !== undefined) return { canon: verb, kind: 'known' };
  // "siapkan", "sediakan", "dibawain": other instructions to the shop, never goods.
  if (looksLikeVerb(word)) return { canon: word, kind: 'known' };
  const product = findClosest(word, vocab.byLength) ?? vocab.withoutVowels.get(word);
  if (product !== undefined) return { canon: product, kind: 'product' };
  const keyword = findClosest(word, KEYWORDS_BY_LENGTH);
  if (keyword !== undefined) return { canon: SLANG.get(keyword) ?? keyword, kind: 'known' };
  return { canon: word, kind: 'unknown' };
}

/**
 * The unit a mistyped word after a number stands for ("papn" for papan, "rencneg" for
 * renceng). Only after a number: elsewhere "pick" is not "pack".
 */
export function findMistypedUnit(word: string): string | undefined {
  const unitWord = findClosest(word, UNITS_BY_LENGTH);
  return unitWord === undefined ? undefined : lookupUnit(unitWord, false);
}

/** Classifies one lower-cased word against the lexicon and a catalogue's product words (memoised). */
export function classifyWord(word: string, vocab: ProductVocabulary): WordInfo {
  const hit = vocab.cache.get(word);
  if (hit !== undefined) return hit;
  // No product or slang word is this long: skip the work and keep the cache small.
  if (word.length > MAX_WORD_LENGTH) return { canon: word, kind: 'unknown' };
  const info = classifyUncached(word, vocab);
  if (vocab.cache.size >= CACHE_LIMIT) vocab.cache.clear();
  vocab.cache.set(word, info);
  return info;
}
