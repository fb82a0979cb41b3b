import type { MessageAnalysis } from './analyze-message.js';
import { classifyWord, type ProductVocabulary } from './classify-word.js';
import { tokenize } from './tokenize.js';

const EMPTY_VOCABULARY: ProductVocabulary = { words: new Set(), withoutVowels: new Map(), byLength: new Map(), cache: new Map() };

/** Renders an analysed message as normalised text: canonical words, plain numbers, "," for separators. */
export function renderNormalized(a: MessageAnalysis): string {
  const parts: string[] = [];
  for (let i = 0; i < a.tokens.length; i++) {
    const t = a.tokens[i];
    if (t.kind === 'num') parts.push(String(t.value));
    else if (t.kind === 'sep') parts.push(',');
    else if (t.kind === 'q') parts.push('?');
    else {
      const w = a.words[i];
      if (w) parts.push(w);
    }
  }
  return parts.join(' ');
}

/**
 * Normalises chat text without a catalogue: lower case, no accents, long letter runs collapsed,
 * slang expanded ("sy mau pesennn brp" -> "saya mau pesan berapa"), numbers split from units.
 */
export function normalizeText(text: string): string {
  const tokens = tokenize(text);
  const words = tokens.map((t) => (t.kind === 'word' ? classifyWord(t.text, EMPTY_VOCABULARY).canon : undefined));
  const infos = tokens.map(() => undefined);
  return renderNormalized({ tokens, words, infos, keys: infos });
}
