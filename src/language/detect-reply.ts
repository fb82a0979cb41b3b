import { CHOICE_MARKERS, NO_WORDS, ORDINALS, PARTICLE_WORDS, POLITE_WORDS, YES_WORDS } from './lexicon.js';
import { NUMBER_WORDS } from './number-words.js';
import type { Token } from './tokenize.js';
import type { Reply } from './types.js';

/** Words that may follow a yes or no without changing it ("iya betul kak", "gak usah dulu"). */
const YES_TAIL = new Set([
  'saya', 'mau', 'itu', 'sudah', 'aja', 'semua', 'makasih', 'benar', 'dong', 'deh', 'yang', 'ini', 'pesan', 'gas', 'cukup', 'gpp', 'gapapa', 'sesuai', 'cocok', 'tolong',
  'konfirmasi', 'lanjutkan', 'proses', 'diproses', 'mantap', 'wis', 'wes',
  // Sundanese "muhun teh": "teh" (sister) is the shopkeeper, when no goods are named.
  'teh',
  // Thanks and blessings after the yes ("iya kak betul semua, terima kasih ya, semoga berkah", "matur nuwun").
  'terima', 'kasih', 'banyak', 'matur', 'nuwun', 'semoga', 'berkah', 'silakan', 'nak', 'eh', 'sekali',
  // "Ya, ringkasan pesanan tersebut sudah benar, silakan diproses."
  'pesanan', 'ringkasan', 'tersebut',
  // English ("yes correct", "ok confirm", "yes that's right, go ahead").
  'correct', 'right', 'confirm', 'confirmed', 'go', 'ahead', 'that', 'thats', 's', 'is', 'it', 'all', 'good', 'fine', 'thanks', 'thank', 'you', 'the', 'order', 'place', 'sure',
]);
const NO_TAIL = new Set(['mau', 'dulu', 'usah', 'perlu', 'butuh', 'itu', 'saya', 'makasih', 'aja', 'jadi', 'ada']);

const MAX_CHOICE = 99;

function digitValue(word: string): number | undefined {
  const nw = NUMBER_WORDS.get(word);
  return nw !== undefined && nw.kind === 'digit' && nw.value >= 1 && nw.value <= 10 ? nw.value : undefined;
}

/**
 * Reads a short answer to the bot's last question: yes, no, or a menu choice ("2", "dua",
 * "yang kedua", "no 2"). Only messages that are nothing more than that answer count.
 */
export function detectReply(tokens: readonly Token[], words: readonly (string | undefined)[], hasProducts: boolean): Reply | undefined {
  const content: { token: Token; word: string | undefined }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'sep' || t.kind === 'q') continue;
    const w = words[i];
    if (w === '' || (w !== undefined && (POLITE_WORDS.has(w) || (PARTICLE_WORDS.has(w) && !YES_WORDS.has(w))))) continue;
    // A trailing "ya" is a particle: "2 ya kak", "tidak ya".
    if (w === 'ya' && content.length > 0) continue;
    content.push({ token: t, word: w });
  }
  if (content.length === 0) return undefined;
  // Longer than a short answer, it is a yes only when every word belongs to one.
  const yesOnly = content.every((c) => c.word !== undefined && (YES_WORDS.has(c.word) || YES_TAIL.has(c.word)));
  if (content.length > 5 && !(yesOnly && content.length <= 12 && !hasProducts && YES_WORDS.has(content[0].word ?? ''))) return undefined;
  // Menu choice: an optional marker then a number, digit word or ordinal.
  const lastEntry = content[content.length - 1];
  const markersOnly = content.slice(0, -1).every((c) => c.word !== undefined && CHOICE_MARKERS.has(c.word));
  if (markersOnly && content.length <= 3) {
    let choice: number | undefined;
    if (lastEntry.token.kind === 'num') {
      if (lastEntry.token.negative) return undefined;
      const v = lastEntry.token.value;
      if (Number.isInteger(v) && v >= 1 && v <= MAX_CHOICE && lastEntry.token.text.length <= 2) choice = v;
    } else if (lastEntry.word !== undefined) {
      choice = ORDINALS.get(lastEntry.word) ?? digitValue(lastEntry.word);
    }
    if (choice !== undefined) return { choice };
  }
  if (hasProducts) return undefined;
  const first = content[0].word;
  if (first === undefined) return undefined;
  const rest = content.slice(1);
  // "jadi kak", "jadi pesan ya": the order is on.
  if ((YES_WORDS.has(first) || first === 'jadi') && rest.every((c) => c.word !== undefined && (YES_WORDS.has(c.word) || YES_TAIL.has(c.word)))) return { yes: true };
  if (NO_WORDS.has(first) && rest.every((c) => c.word !== undefined && (NO_WORDS.has(c.word) || NO_TAIL.has(c.word)))) return { no: true };
  return undefined;
}

/** Words that hold back a yes said after them ("tunggu, ok", "belum, nanti ya"). */
const HEDGES = new Set(['tapi', 'tunggu', 'nanti', 'belum', 'bukan', 'kalau', 'sebentar', 'bentar', 'dulu']);

/**
 * "sudah kak, suami setuju. jadi pesan ya": a yes in a clause of its own after small talk. Only
 * when nothing before it refuses, hedges, asks or counts; whether the small talk said anything
 * else (goods, an address, a change) is the caller's to check.
 */
export function endsWithYes(tokens: readonly Token[], words: readonly (string | undefined)[]): boolean {
  let end = tokens.length;
  while (end > 0 && tokens[end - 1].kind === 'sep') end--;
  let start = end;
  while (start > 0 && tokens[start - 1].kind !== 'sep') start--;
  // One clause only: detectReply has read it already.
  if (start === 0 || start === end) return false;
  for (let i = 0; i < start; i++) {
    const word = words[i];
    if (tokens[i].kind === 'num' || tokens[i].kind === 'q' || (word !== undefined && (NO_WORDS.has(word) || HEDGES.has(word)))) return false;
  }
  return detectReply(tokens.slice(start, end), words.slice(start, end), false)?.yes === true;
}
