/** Splits a chat message into words, numbers and separators in one pass (no regex per message). */

export type TokenKind = 'word' | 'num' | 'sep' | 'q';

export interface Token {
  kind: TokenKind;
  /** Lower-cased word, number text, or the separator character. */
  text: string;
  /** Numeric value for 'num' tokens, 0 otherwise. */
  value: number;
  /** True when a 'num' token was written as a fraction (1/2). */
  fraction?: boolean;
  /** True when this token touches the previous one without a space ("5kg", "15rb"). */
  glued?: boolean;
  /** True when a 'num' token was written with a leading minus ("-1"): never a menu choice. */
  negative?: boolean;
  /** Where the token starts and ends in the text `tokenize` read (see `alignText`). */
  start: number;
  end: number;
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const VULGAR_FRACTIONS = /[\u00bc-\u00be]/g;
const FRACTION_TEXT: Record<string, string> = { '\u00bc': ' 1/4', '\u00bd': ' 1/2', '\u00be': ' 3/4' };

function isLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Collapses runs of three or more equal letters to one ("berasss" -> "beras", "pesennn" -> "pesen"). */
export function collapseLongRuns(word: string): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    let j = i + 1;
    while (j < word.length && word[j] === word[i]) j++;
    out += j - i >= 3 ? word[i] : word.slice(i, j);
    i = j;
  }
  return out;
}

function prepare(text: string): string {
  return alignText(text.toLowerCase());
}

/**
 * The text with fractions spelt out and accents dropped, as `tokenize` reads it, keeping its
 * case: token offsets index into it, so a span (an address) can be cut out as the resident wrote it.
 */
export function alignText(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 127) return text.replace(VULGAR_FRACTIONS, (f) => FRACTION_TEXT[f] ?? f).normalize('NFKD').replace(COMBINING_MARKS, '');
  }
  return text;
}

/** True when position i starts a numbered-list marker ("1. ", "2) ") at the start of a line. */
function listMarkerEnd(s: string, i: number): number {
  let j = i;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  if (j === i || j - i > 2 || j >= s.length) return -1;
  const c = s[j];
  if (c !== '.' && c !== ')') return -1;
  const after = s.charCodeAt(j + 1);
  if (j + 1 < s.length && !(after === 32 || after === 9)) return -1;
  return j + 1;
}

export function tokenize(text: string): Token[] {
  const s = prepare(text);
  const tokens: Token[] = [];
  let lineStart = true;
  let glued = false;
  let i = 0;
  const n = s.length;
  const pushSep = (ch: string, at: number): void => {
    const last = tokens[tokens.length - 1];
    if (last === undefined || last.kind === 'sep') return;
    tokens.push({ kind: 'sep', text: ch, value: 0, start: at, end: at + 1 });
  };
  while (i < n) {
    const c = s.charCodeAt(i);
    if (lineStart && (c === 32 || c === 9)) { i++; continue; }
    if (lineStart && isDigit(c)) {
      const end = listMarkerEnd(s, i);
      lineStart = false;
      if (end > 0) { pushSep('\n', i); i = end; glued = false; continue; }
    }
    lineStart = false;
    if (isLetter(c)) {
      let j = i + 1;
      while (j < n) {
        const d = s.charCodeAt(j);
        // Apostrophes inside words are dropped ("assalamu'alaikum").
        if (isLetter(d)) j++;
        else if ((d === 39 || d === 0x2019) && j + 1 < n && isLetter(s.charCodeAt(j + 1))) j++;
        else break;
      }
      let word = s.slice(i, j);
      if (word.includes("'") || word.includes('\u2019')) word = word.replace(/['\u2019]/g, '');
      tokens.push({ kind: 'word', text: collapseLongRuns(word), value: 0, glued, start: i, end: j });
      glued = true;
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i;
      let intPart = '';
      while (j < n && isDigit(s.charCodeAt(j))) intPart += s[j++];
      let value = Number(intPart);
      let fraction = false;
      // Thousand groups "10.000" / "1.500.000", but "0.250" and "1.5" are decimals.
      while (j + 3 < n + 1 && s[j] === '.' && intPart !== '0' && isDigit(s.charCodeAt(j + 1)) && isDigit(s.charCodeAt(j + 2)) && isDigit(s.charCodeAt(j + 3)) && !(j + 4 < n && isDigit(s.charCodeAt(j + 4)))) {
        value = value * 1000 + Number(s.slice(j + 1, j + 4));
        j += 4;
      }
      if (j + 1 < n && (s[j] === ',' || s[j] === '.') && isDigit(s.charCodeAt(j + 1))) {
        let k = j + 1;
        let dec = '';
        while (k < n && isDigit(s.charCodeAt(k))) dec += s[k++];
        value = Number(`${value}.${dec}`);
        j = k;
      } else if (j + 1 < n && s[j] === '/' && isDigit(s.charCodeAt(j + 1))) {
        let k = j + 1;
        let den = '';
        while (k < n && isDigit(s.charCodeAt(k))) den += s[k++];
        const d = Number(den);
        if (d > 0) { value = value / d; fraction = true; }
        j = k;
      }
      const tok: Token = { kind: 'num', text: s.slice(i, j), value, glued, start: i, end: j };
      if (fraction) tok.fraction = true;
      // A minus sign right before the number and not after another word or number ("2-3" is a range).
      if (i > 0 && s[i - 1] === '-' && (i < 2 || s[i - 2] === ' ' || s[i - 2] === '\t' || s[i - 2] === '\n')) tok.negative = true;
      tokens.push(tok);
      glued = true;
      i = j;
      continue;
    }
    // A thumbs-up or OK hand (any skin tone) says "ok".
    if (c === 0xd83d && (s.charCodeAt(i + 1) === 0xdc4d || s.charCodeAt(i + 1) === 0xdc4c)) {
      tokens.push({ kind: 'word', text: 'ok', value: 0, glued: false, start: i, end: i + 2 });
      glued = false;
      i += 2;
      continue;
    }
    glued = false;
    if (c === 10 || c === 13) { pushSep('\n', i); lineStart = true; }
    else if (c === 44 || c === 43 || c === 38 || c === 59 || c === 46) pushSep(s[i], i); // , + & ; .
    else if (c === 63) tokens.push({ kind: 'q', text: '?', value: 0, start: i, end: i + 1 });
    i++;
  }
  while (tokens.length > 0 && tokens[tokens.length - 1].kind === 'sep') tokens.pop();
  if (tokens.length > 0 && tokens[0].kind === 'sep') tokens.shift();
  return tokens;
}
