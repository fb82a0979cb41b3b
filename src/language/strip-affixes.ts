/**
 * A small Indonesian morphological normaliser for the verbs that carry intents. Formal and
 * colloquial messages dress the same root in affixes: "membatalkan", "dibatalkan", "memesan",
 * "dipesankan", "mengecek", "dikirimkan", "ngirim". Rather than listing every form, the affixes
 * are peeled off and the root is looked up. Called once per new word (classifyWord memoises).
 */
import { SLANG } from './lexicon.js';

/** Roots whose affixed forms should read as the root's canonical word. */
const VERB_ROOTS = [
  'batal', 'cancel', 'pesan', 'order', 'cek', 'kirim', 'antar', 'anter', 'beli', 'ambil', 'minta', 'tambah', 'hapus', 'ganti',
  'kurang', 'tanya', 'setor', 'lacak', 'bayar', 'transfer', 'belanja', 'titip',
];

const ROOT_CANON = new Map<string, string>();
for (const root of VERB_ROOTS) ROOT_CANON.set(root, SLANG.get(root) ?? root);

/** Enclitic particles and pronouns, peeled first ("membatalkannya"); '' tries the word as written. */
const PARTICLES = ['', 'nya', 'lah', 'kah', 'ku', 'mu'];
/** Verb suffixes: -kan and -i (standard), -in (colloquial); '' for none. */
const VERB_SUFFIXES = ['', 'kan', 'in', 'i'];

/**
 * Nasal prefixes (meN-, and colloquial ng-/ny-) with the root's first letter they may have
 * replaced: mem+esan = pesan, meng+irim = kirim, meny+etor = setor, men+ambah = tambah.
 */
const NASAL_PREFIXES: readonly (readonly [string, string])[] = [
  ['menge', ''], ['nge', ''], ['meng', 'k'], ['meny', 's'], ['mem', 'p'], ['men', 't'], ['me', ''], ['ng', 'k'], ['ny', 's'],
];
/** peN-…-an nouns: "pembatalan", "pemesanan", "pengiriman". */
const NOUN_PREFIXES: readonly (readonly [string, string])[] = [
  ['penge', ''], ['peng', 'k'], ['peny', 's'], ['pem', 'p'], ['pen', 't'], ['pe', ''],
];

const MIN_ROOT = 3;

function lookupRoot(root: string): string | undefined {
  return root.length >= MIN_ROOT ? ROOT_CANON.get(root) : undefined;
}

/** meN-/ng- forms: the root as written after the prefix, or with its dropped first letter restored. */
function stripNasal(stem: string, prefixes: readonly (readonly [string, string])[]): string | undefined {
  for (const [prefix, dropped] of prefixes) {
    if (!stem.startsWith(prefix) || stem.length - prefix.length < 2) continue;
    const rest = stem.slice(prefix.length);
    const found = lookupRoot(rest) ?? (dropped !== '' ? lookupRoot(dropped + rest) : undefined);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The canonical form of a stem once suffixes are gone: bare root, di- passive, or meN- active. */
function canonOfStem(stem: string, suffixed: boolean): string | undefined {
  // A bare root counts only when something was peeled: the root itself is handled by the lexicon.
  if (suffixed) {
    const bare = lookupRoot(stem);
    if (bare !== undefined) return bare;
  }
  if (stem.startsWith('di')) {
    const root = stem.slice(2);
    if (lookupRoot(root) !== undefined) {
      // The lexicon keeps some passives apart ("dikirim" asks about delivery, not a new order).
      return SLANG.get(stem) ?? lookupRoot(root);
    }
  }
  return stripNasal(stem, NASAL_PREFIXES);
}

/**
 * Returns the canonical intent verb an affixed word stands for ("membatalkan" -> "batal",
 * "dicek" -> "cek", "dikirimkan" -> "dikirim", "pembatalan" -> "batal"), or undefined.
 */
export function stripVerbAffixes(word: string): string | undefined {
  if (word.length < 5) return undefined;
  for (const particle of PARTICLES) {
    if (!word.endsWith(particle)) continue;
    const w1 = word.slice(0, word.length - particle.length);
    if (w1.length < 4) continue;
    for (const suffix of VERB_SUFFIXES) {
      if (!w1.endsWith(suffix)) continue;
      const stem = w1.slice(0, w1.length - suffix.length);
      if (stem.length < MIN_ROOT) continue;
      const found = canonOfStem(stem, particle !== '' || suffix !== '');
      if (found !== undefined) return found;
    }
    // peN-…-an nouns.
    if (w1.endsWith('an') && w1.startsWith('pe')) {
      const root = stripNasal(w1.slice(0, -2), NOUN_PREFIXES);
      // "pemesanan" is the order itself ("pesanan"); "pembatalan" is the act of cancelling.
      if (root !== undefined) return SLANG.get(`${root}an`) ?? root;
    }
  }
  return undefined;
}

/**
 * True for a word shaped like an affixed verb ("siapkan", "sediakan", "dibawain", "dikirimkan"):
 * an instruction to the shop, never the name of goods.
 */
export function looksLikeVerb(word: string): boolean {
  if (word.length < 6) return false;
  if (word.endsWith('kan')) return true;
  return word.startsWith('di') && word.endsWith('in');
}
