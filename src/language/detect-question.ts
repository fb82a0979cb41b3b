import type { MessageAnalysis } from './analyze-message.js';
import { PARTICLE_WORDS, POLITE_WORDS } from './lexicon.js';

/**
 * The message asks something ("bisa dianter sekarang gak?", "rekeningnya apa kak", "ongkir
 * brp"): a question mark, a question word, or "bisa/boleh/ada … gak" at the end. Used where
 * a free-text answer is expected (an address), so a question is never stored as the answer.
 */
const QUESTION_WORDS = new Set(['apa', 'apakah', 'berapa', 'brp', 'brapa', 'kapan', 'gimana', 'bagaimana', 'gmn', 'kenapa', 'knp', 'mengapa', 'bisakah', 'bolehkah', 'dimana', 'mana']);
const TAG_ENDINGS = new Set(['gak', 'ga', 'nggak', 'ngga', 'enggak', 'tidak', 'gk', 'ndak', 'kah']);
const ABILITY_WORDS = new Set(['bisa', 'boleh', 'ada', 'sudah', 'udah', 'masih', 'jual', 'sedia', 'punya']);

export function detectQuestion(words: readonly (string | undefined)[], hasQuestionMark: boolean): boolean {
  if (hasQuestionMark) return true;
  const present = words.filter((word): word is string => word !== undefined && word !== '');
  // "jual sabun ga kak": the tag comes before the form of address.
  while (present.length > 0 && (POLITE_WORDS.has(present[present.length - 1]) || PARTICLE_WORDS.has(present[present.length - 1]))) present.pop();
  if (present.some((word) => QUESTION_WORDS.has(word))) return true;
  // "bisa dianter sekarang gak", "ada yang premium ga": a yes/no question without its mark.
  return present.length > 1 && TAG_ENDINGS.has(present[present.length - 1]) && present.some((word) => ABILITY_WORDS.has(word));
}

/** Tokens in a clause that asks ("bisa qris?"); all of them when the message asks without a mark. */
export function questionedTokens(a: MessageAnalysis, question: boolean): boolean[] {
  const asked = new Array<boolean>(a.tokens.length).fill(false);
  if (!question) return asked;
  if (!a.tokens.some((token) => token.kind === 'q')) return asked.fill(true);
  let clauseStart = 0;
  for (let i = 0; i < a.tokens.length; i++) {
    const kind = a.tokens[i].kind;
    if (kind === 'q') asked.fill(true, clauseStart, i + 1);
    // A full stop after a street abbreviation ("Jl.") does not end a clause.
    if (kind === 'q' || (kind === 'sep' && a.tokens[i].text !== '.')) clauseStart = i + 1;
  }
  return asked;
}
