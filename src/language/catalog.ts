import { classifyWord, dropVowels, type ProductVocabulary, type WordInfo } from './classify-word.js';
import { tokenize, type Token } from './tokenize.js';
import type { CatalogProduct } from './types.js';
import { lookupUnit } from './units.js';

/** A catalogue phrase ("gas melon 3 kg") as a list of match keys. */
interface Phrase {
  keys: readonly string[];
  productIds: readonly string[];
}

/** Products a single word points to: heads name the thing ("gula"), others qualify it ("pasir"). */
interface WordProducts {
  heads: string[];
  others: string[];
}

export interface Catalog {
  readonly products: readonly CatalogProduct[];
  readonly byId: ReadonlyMap<string, CatalogProduct>;
  /** Unit codes per product id, default first. */
  readonly unitCodes: ReadonlyMap<string, readonly string[]>;
  /** Phrases indexed by their first key, longest first. */
  readonly phrasesByFirstKey: ReadonlyMap<string, readonly Phrase[]>;
  readonly wordProducts: ReadonlyMap<string, WordProducts>;
  /** Every word of each product's name and aliases, to recognise "telor ayam" as one product. */
  readonly productWords: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Words that tell products sharing a head word apart ("merah"/"putih" for bawang, "premium" for
   * beras): after any other product they name a different variety, never a brand.
   */
  readonly variantWords: ReadonlySet<string>;
  readonly vocabulary: ProductVocabulary;
}

/** Words that name a kind of goods; the word after them is the real head ("daging ayam", "tepung terigu"). */
export const CLASSIFIERS: ReadonlySet<string> = new Set(['daging', 'tepung', 'air']);
/** Catalogue words too generic to find a product on their own. */
const NON_INDEX_WORDS = new Set(['isi', 'ras', 'ulang', 'manis']);

/** The key a token matches on: product words by canonical form, units by code, numbers by value. */
export function keyOf(token: Token, info: WordInfo | undefined): string | undefined {
  if (token.kind === 'num') return `n:${token.value}`;
  if (token.kind !== 'word' || info === undefined) return undefined;
  if (info.kind === 'product') return info.canon;
  const unit = lookupUnit(token.text, true);
  if (unit !== undefined) return `u:${unit}`;
  return info.canon;
}

function phraseKeys(text: string, vocabulary: ProductVocabulary): string[] {
  const keys: string[] = [];
  for (const token of tokenize(text)) {
    if (token.kind === 'sep' || token.kind === 'q') continue;
    const info = token.kind === 'word' ? classifyWord(token.text, vocabulary) : undefined;
    const key = keyOf(token, info);
    if (key !== undefined) keys.push(key);
  }
  return keys;
}

/** Splits "garam beryodium 250 g" into base and size suffix ("250 g", or "isi 25"). */
function splitSizeSuffix(keys: string[]): { base: string[]; suffix: string[] } {
  const n = keys.length;
  if (n >= 3 && keys[n - 2].startsWith('n:') && keys[n - 1].startsWith('u:')) return { base: keys.slice(0, n - 2), suffix: keys.slice(n - 2) };
  if (n >= 3 && keys[n - 2] === 'isi' && keys[n - 1].startsWith('n:')) return { base: keys.slice(0, n - 2), suffix: keys.slice(n - 2) };
  return { base: keys, suffix: [] };
}

function isWordKey(key: string): boolean {
  return !key.startsWith('n:') && !key.startsWith('u:');
}

/** Builds the indexes for one cooperative's catalogue; build once, reuse for every message. */
export function createCatalog(products: CatalogProduct[]): Catalog {
  const byId = new Map<string, CatalogProduct>();
  const unitCodes = new Map<string, string[]>();
  const words = new Set<string>();
  // Product words without their vowels, and the words and products spelled that way.
  const spellings = new Map<string, { words: Set<string>; ids: Set<string> }>();
  // Pass 1: product vocabulary, so later tokenisation classifies catalogue words as products.
  for (const product of products) {
    byId.set(product.id, product);
    unitCodes.set(product.id, product.units.map((u) => u.code));
    for (const text of [product.name, ...product.aliases]) {
      const tokens = tokenize(text);
      for (const token of tokens) {
        if (token.kind !== 'word') continue;
        const isUnit = lookupUnit(token.text, true) !== undefined;
        // A unit word is a product word only when it is a whole alias ("galon").
        if (isUnit && !(tokens.length === 1 && text !== product.name)) continue;
        if (token.text === 'isi') continue;
        words.add(token.text);
        const consonants = dropVowels(token.text);
        if (consonants.length >= 3 && consonants !== token.text) {
          const entry = spellings.get(consonants) ?? { words: new Set<string>(), ids: new Set<string>() };
          entry.words.add(token.text);
          entry.ids.add(product.id);
          spellings.set(consonants, entry);
        }
      }
    }
  }
  const byLength = new Map<number, string[]>();
  for (const w of words) {
    const list = byLength.get(w.length) ?? [];
    list.push(w);
    byLength.set(w.length, list);
  }
  // "tlr" is telur or telor, both eggs; "brs" is only "beras", whichever rice.
  const withoutVowels = new Map([...spellings].filter(([, entry]) => entry.words.size === 1 || entry.ids.size === 1).map(([consonants, entry]) => [consonants, [...entry.words][0]]));
  const vocabulary: ProductVocabulary = { words, withoutVowels, byLength, cache: new Map() };

  // Pass 2: phrases and word index.
  const phraseOwners = new Map<string, { keys: string[]; ids: Set<string> }>();
  const addPhrase = (keys: string[], id: string): void => {
    if (keys.length === 0) return;
    const k = keys.join(' ');
    const entry = phraseOwners.get(k) ?? { keys, ids: new Set<string>() };
    entry.ids.add(id);
    phraseOwners.set(k, entry);
  };
  const wordProducts = new Map<string, WordProducts>();
  const indexWord = (word: string, id: string, head: boolean): void => {
    if (!isWordKey(word) || NON_INDEX_WORDS.has(word) || !words.has(word)) return;
    const entry = wordProducts.get(word) ?? { heads: [], others: [] };
    const list = head ? entry.heads : entry.others;
    if (!list.includes(id)) list.push(id);
    wordProducts.set(word, entry);
  };
  const suffixes = new Map<string, string[]>();
  const productWords = new Map<string, Set<string>>();
  for (const product of products) {
    const nameKeys = phraseKeys(product.name, vocabulary);
    const { base, suffix } = splitSizeSuffix(nameKeys);
    suffixes.set(product.id, suffix);
    const bases = [nameKeys, base, ...product.aliases.map((a) => phraseKeys(a, vocabulary))];
    for (const keys of bases) {
      addPhrase(keys, product.id);
      if (suffix.length > 0 && keys !== nameKeys) addPhrase([...keys, ...suffix], product.id);
      // Name prefixes of two words or more: "telur ayam", "susu kental".
      for (let len = 2; len < keys.length; len++) if (isWordKey(keys[len - 1])) addPhrase(keys.slice(0, len), product.id);
      const headIndex = keys.length > 1 && CLASSIFIERS.has(keys[0]) ? 1 : 0;
      keys.forEach((key, index) => indexWord(key, product.id, index === 0 || index === headIndex));
      const own = productWords.get(product.id) ?? new Set<string>();
      for (const key of keys) if (isWordKey(key)) own.add(key);
      productWords.set(product.id, own);
    }
  }
  // Initials of long names ("skm" = susu kental manis), unless the initials are a word already.
  for (const product of products) {
    const { base } = splitSizeSuffix(phraseKeys(product.name, vocabulary));
    if (base.length < 3 || !base.every(isWordKey)) continue;
    const initials = base.map((k) => k[0]).join('');
    if (classifyWord(initials, vocabulary).kind !== 'unknown') continue;
    words.add(initials);
    vocabulary.cache.delete(initials);
    addPhrase([initials], product.id);
    indexWord(initials, product.id, true);
  }
  // Heads owned by one product also carry the size: "kecap 520 ml", "garam 250 g".
  for (const [word, entry] of wordProducts) {
    if (entry.heads.length !== 1) continue;
    const suffix = suffixes.get(entry.heads[0]) ?? [];
    if (suffix.length > 0) addPhrase([word, ...suffix], entry.heads[0]);
    // "one 3 kg LPG cylinder", "2 tabung 3 kg gas": the size written before the name.
    if (suffix.length === 2 && suffix[0].startsWith('n:')) addPhrase([...suffix, word], entry.heads[0]);
  }
  const variantWords = new Set<string>();
  for (const [head, entry] of wordProducts) {
    if (entry.heads.length < 2) continue;
    for (const id of entry.heads) {
      for (const word of productWords.get(id) ?? []) {
        if (word === head || NON_INDEX_WORDS.has(word)) continue;
        if (!entry.heads.every((other) => productWords.get(other)?.has(word) === true)) variantWords.add(word);
      }
    }
  }
  const phrasesByFirstKey = new Map<string, Phrase[]>();
  for (const { keys, ids } of phraseOwners.values()) {
    const list = phrasesByFirstKey.get(keys[0]) ?? [];
    list.push({ keys, productIds: [...ids] });
    phrasesByFirstKey.set(keys[0], list);
  }
  for (const list of phrasesByFirstKey.values()) list.sort((a, b) => b.keys.length - a.keys.length);
  return { products, byId, unitCodes, phrasesByFirstKey, wordProducts, productWords, variantWords, vocabulary };
}

export interface ProductMatch {
  start: number;
  /** Index just after the match. */
  end: number;
  productIds: readonly string[];
  /** True when found through one word of a longer name rather than a whole name or alias. */
  partial: boolean;
  /** True when the word is a head (names the product) rather than a qualifier. */
  head: boolean;
}

/** Longest catalogue phrase starting at `start`, else a single product word. */
export function matchProductAt(catalog: Catalog, keys: readonly (string | undefined)[], infos: readonly (WordInfo | undefined)[], start: number): ProductMatch | undefined {
  const first = keys[start];
  if (first === undefined) return undefined;
  const phrases = catalog.phrasesByFirstKey.get(first);
  if (phrases !== undefined) {
    for (const phrase of phrases) {
      const len = phrase.keys.length;
      if (start + len > keys.length) continue;
      let ok = true;
      for (let k = 1; k < len; k++) {
        if (keys[start + k] !== phrase.keys[k]) { ok = false; break; }
      }
      if (ok) return { start, end: start + len, productIds: phrase.productIds, partial: false, head: true };
    }
  }
  const info = infos[start];
  if (info === undefined || info.kind !== 'product') return undefined;
  const entry = catalog.wordProducts.get(info.canon);
  if (entry === undefined) return undefined;
  const head = entry.heads.length > 0;
  return { start, end: start + 1, productIds: head ? entry.heads : entry.others, partial: true, head };
}
