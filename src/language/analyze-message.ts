import { keyOf, type Catalog } from './catalog.js';
import { classifyWord, type WordInfo } from './classify-word.js';
import { tokenize, type Token } from './tokenize.js';
import { readNumberWords } from './number-words.js';
import { lookupUnit } from './units.js';

/** A message as tokens, with each word classified and given its canonical form and match key. */
export interface MessageAnalysis {
  tokens: Token[];
  infos: (WordInfo | undefined)[];
  /** Canonical word per token (undefined for numbers and punctuation). */
  words: (string | undefined)[];
  /** Match key per token (see keyOf). */
  keys: (string | undefined)[];
}

const SKIPPED: WordInfo = { canon: '', kind: 'known' };
const CANCEL_PAIR: WordInfo = { canon: 'gajadi', kind: 'known' };
const PRICE_PAIR: WordInfo = { canon: 'berapa', kind: 'known' };
const NO_PAIR: WordInfo = { canon: 'tidak', kind: 'known' };

/** "oke gas", "yuk gas": slang for "go ahead", not liquefied gas (unless an amount follows). */
const GO_AHEAD_LEADS = new Set(['ok', 'ya', 'sip', 'ayo', 'yuk', 'lanjut']);

const SHORTHAND_BEFORE_AMOUNT = new Map([['br', 'beras']]);

const INTENDED_WORDS = new Set(['mau', 'pengen', 'ingin', 'niat', 'rencana', 'rencananya']);

/** Two-word expressions that act as one word. */
function mergePairs(tokens: readonly Token[], infos: (WordInfo | undefined)[]): void {
  for (let i = 0; i + 1 < infos.length; i++) {
    const a = infos[i];
    const b = infos[i + 1];
    if (a === undefined || b === undefined) continue;
    if (GO_AHEAD_LEADS.has(a.canon) && tokens[i + 1].text === 'gas' && (i + 2 >= tokens.length || tokens[i + 2].kind === 'sep' || tokens[i + 2].kind === 'q')) { infos[i + 1] = SKIPPED; continue; }
    // "tadinya mau telor jg tp gk jadi": what the resident first meant to buy, not an order placed earlier.
    if (tokens[i].text === 'tadinya' && INTENDED_WORDS.has(b.canon)) { infos[i] = SKIPPED; continue; }
    if (a.canon === 'tidak' && b.canon === 'jadi') { infos[i] = CANCEL_PAIR; infos[i + 1] = SKIPPED; }
    else if (a.canon === 'how' && (b.canon === 'much' || b.canon === 'many')) { infos[i] = PRICE_PAIR; infos[i + 1] = SKIPPED; }
    else if (a.canon === 'tidak' && b.canon === 'usah') { infos[i] = NO_PAIR; infos[i + 1] = SKIPPED; }
  }
}

/** "minyakgoreng" -> ["minyak", "goreng"]: two product words typed without a space. */
function splitJoinedWord(word: string, catalog: Catalog): [string, string] | undefined {
  if (word.length < 6) return undefined;
  const words = catalog.vocabulary.words;
  for (let cut = 3; cut <= word.length - 3; cut++) {
    const left = word.slice(0, cut);
    const right = word.slice(cut);
    if (words.has(left) && words.has(right)) return [left, right];
  }
  return undefined;
}

/** English articles and "of" inside an amount ("half a kilo of rice", "3 liters of oil") carry nothing. */
function dropAmountGlue(tokens: Token[]): Token[] {
  return tokens.filter((token, i) => {
    if (token.kind !== 'word') return true;
    const previous = tokens[i - 1];
    if ((token.text === 'a' || token.text === 'an') && (previous?.text === 'half' || previous?.text === 'quarter')) return false;
    return !(token.text === 'of' && previous !== undefined && (lookupUnit(previous.text, true) !== undefined || previous.text === 'half' || previous.text === 'quarter'));
  });
}

/** "2 (dua) papan", "15 (lima belas) kilo": a number spelled out again after its digits says it once. */
function dropSpelledOutRepeats(tokens: Token[]): Token[] {
  const texts = tokens.map((token) => (token.kind === 'word' ? token.text : undefined));
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    out.push(tokens[i]);
    if (tokens[i].kind !== 'num') continue;
    const spelled = readNumberWords(texts, i + 1);
    if (spelled !== undefined && spelled.value === tokens[i].value) i = spelled.end - 1;
  }
  return out;
}

export function analyzeMessage(text: string, catalog: Catalog): MessageAnalysis {
  const tokens = dropSpelledOutRepeats(dropAmountGlue(tokenize(text)));
  const infos: (WordInfo | undefined)[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'word') { infos.push(undefined); continue; }
    // "yang biasa" is the ordinary grade (medium); "sama kaya biasa" is only "as usual".
    const ordinaryGrade = t.text === 'biasa' && i > 0 && (tokens[i - 1].text === 'yang' || tokens[i - 1].text === 'yg');
    // "br 10kg": traders' shorthand for goods, only right before an amount with its unit ("br 2 hari" is "baru").
    const shorthand = SHORTHAND_BEFORE_AMOUNT.get(t.text);
    const spelled = shorthand !== undefined && tokens[i + 1]?.kind === 'num' && lookupUnit(tokens[i + 2]?.text ?? '', true) !== undefined ? shorthand : t.text;
    let info = classifyWord(ordinaryGrade ? 'medium' : spelled, catalog.vocabulary);
    // Right after a number, "g" and "l" are grams and litres, not "ga" or anything else.
    if (i > 0 && tokens[i - 1].kind === 'num' && info.kind !== 'product') {
      const unit = lookupUnit(t.text, true);
      if (unit !== undefined) info = { canon: t.text, kind: 'unit', unit };
    }
    const parts = info.kind === 'unknown' ? splitJoinedWord(t.text, catalog) : undefined;
    if (parts === undefined) { infos.push(info); continue; }
    const cut = Math.min(t.start + parts[0].length, t.end);
    tokens.splice(i, 1, { kind: 'word', text: parts[0], value: 0, glued: t.glued, start: t.start, end: cut }, { kind: 'word', text: parts[1], value: 0, glued: true, start: cut, end: t.end });
    infos.push(classifyWord(parts[0], catalog.vocabulary), classifyWord(parts[1], catalog.vocabulary));
    i++;
  }
  mergePairs(tokens, infos);
  const words: (string | undefined)[] = new Array(tokens.length);
  const keys: (string | undefined)[] = new Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const info = infos[i];
    words[i] = info?.canon;
    keys[i] = keyOf(tokens[i], info);
  }
  return { tokens, infos, words, keys };
}
