import type { MessageAnalysis } from './analyze-message.js';
import type { ItemFrame } from './extract-items.js';
import { EDIT_WORDS, PARTICLE_WORDS, PLACED_ORDER_WORDS } from './lexicon.js';
import type { ItemMarks } from './types.js';

/** Words that make the amount beside them the amount meant, not one more: "gulanya jadi 2 kg", "maksudnya 3". */
const EXACT_CUES = new Set(['jadi', 'jadiin', 'jadikan', 'maksudnya', 'maksud', 'ralat', 'koreksi', 'harusnya']);
/** Words that say the message corrects what was said before. */
const TAKE_BACK_CUES = new Set(['salah', 'maksudnya', 'maksud', 'ralat', 'koreksi']);
/** After an item: "minyaknya ga jadi", "telurnya batal", "gulanya gak usah". */
const DROP_AFTER = new Set(['gajadi', 'batal', 'hapus', 'gausah']);
/** Between the line replaced and its replacement: "ganti beras jadi premium", "ganti kecap ke skm". */
const SWAP_LINKS = new Set(['jadi', 'ke', 'dengan', 'sama', 'pakai', 'pake', 'sm', 'saya', 'aku', 'mau', 'minta']);

/**
 * How each item of a message changes the cart, read from the words around it: the nearest
 * edit word before it ("tambah gas 1" adds, even after "galonnya 2 aja"), an amount that is
 * the one meant ("jadi 2 kg", "2 aja"), a line dropped ("minyaknya ga jadi"), and a line
 * replaced by another ("bukan kecap, maksudnya skm", "ganti beras jadi premium").
 * Returns one entry per frame, in order.
 */
export function detectItemEdits(a: MessageAnalysis, frames: readonly ItemFrame[]): ItemMarks[] {
  const marks: ItemMarks[] = frames.map(() => ({}));
  frames.forEach((frame, index) => {
    const mark = marks[index];
    const clause = clauseOf(a, frame);
    // "pesanan tadi gulanya ga jadi" speaks of an order placed; "gasnya ga jadi, udah beli tadi" of the cart.
    const placedOrder = a.words.slice(clause.start, clause.end).some((word) => word !== undefined && (PLACED_ORDER_WORDS.has(word) || word === 'pesanan'));
    const edit = nearestEditWord(a, frames, index);
    if (edit !== undefined) mark.edit = edit;
    // The item's own words: from the previous item (or the clause start) to the next one.
    const ownStart = Math.max(clause.start, index > 0 ? frames[index - 1].end : 0);
    const ownEnd = Math.min(clause.end, frames[index + 1]?.start ?? clause.end);
    // "ayamnya kurang, harusnya 1,5 kg", "telornya kebanyakan, 5 butir aja": an amount given in a
    // clause of its own after the line is the amount meant, whatever word judged the line.
    const amountClause = frame.amountClause;
    if (amountClause !== undefined && ((mark.edit === undefined && namesWithNya(a, frame)) || a.words.slice(amountClause.start, amountClause.end).some((word) => EXACT_CUES.has(word ?? '') || word === 'aja'))) {
      mark.exact = true;
    }
    // "minyaknya tambah 1 lagi", "gulanya kurangi 1 kg": an edit word right after the product is its
    // own, and outranks one carried from an earlier clause ("gulanya kurangi 1, terigunya tambah 1").
    const ownEditBefore = a.words.slice(clause.start, frame.start).some((word) => EDIT_WORDS.has(word ?? ''));
    for (let i = frame.end; i < Math.min(clause.end, frames[index + 1]?.start ?? clause.end) && !mark.exact; i++) {
      if (mark.edit !== undefined && (ownEditBefore || mark.edit === 'remove')) break;
      const after = EDIT_WORDS.get(a.words[i] ?? '') ?? (a.words[i] === 'lagi' ? 'add' : undefined);
      if (after === 'add' || after === 'reduce') {
        mark.edit = after;
        break;
      }
    }
    // "telurnya 2 kg", "gula nya 2 kg": an amount for the line already named is the amount meant.
    if (frame.quantity !== undefined && mark.edit === undefined && namesWithNya(a, frame)) mark.exact = true;
    const lastInClause = frames.findLastIndex((other) => other.start >= clause.start && other.start < clause.end);
    for (let i = ownStart; i < ownEnd; i++) {
      const word = a.words[i] ?? '';
      if (EXACT_CUES.has(word) || (word === 'aja' && i > frame.start)) mark.exact = true;
      // "minyaknya ga jadi", "minyak 2 liter gak usah": that line out (an order already placed is the
      // cancel flow's). "hapus" before another item of the clause is that item's ("mie 2 bungkus hapus telur").
      const editsNext = word === 'hapus' && lastInClause > index;
      if (i >= frame.end && !placedOrder && !editsNext && (dropsAt(a, i) || (frame.quantity === undefined && putOffAt(a, i)))) mark.edit = 'remove';
    }
    // "minyak goreng di rumah masih ada": goods the resident still has are not ordered.
    if (!placedOrder && mark.edit === undefined && frame.amountClause === undefined && stillHas(a, frame, clause)) mark.dropped = true;
    // "premium kemahalan", "yg premium mahal ya, medium aja 5 kg": goods judged, not ordered.
    if (mark.edit === undefined && frame.quantity === undefined && judged(a, clause)) mark.dropped = true;
    // "kemarin beli beras 5 kg udah abis": what was bought before, unless its amount is restated for now.
    if (mark.edit === undefined && frame.amountClause === undefined && boughtBefore(a, clause)) mark.dropped = true;
    // "yg mie 1 bungkus sama telur 1 kg hapus": a drop word after the last item of a clause drops them all.
    if (!placedOrder && mark.edit === undefined && lastInClause > index) {
      for (let i = frames[lastInClause].end; i < clause.end; i++) if (dropsAt(a, i)) mark.edit = 'remove';
    }
    // "eh salah, bawang putih maksudnya, 1 kg": the product named is the one meant instead of its kind in the cart.
    if (mark.edit === undefined && a.words.some((word) => word !== undefined && TAKE_BACK_CUES.has(word))) mark.corrects = true;
    // "bukan kecap, maksudnya skm", "gula bukan terigu", "beras medium aja, jgn sphp": the
    // negated line is the one replaced, by the item named after it, else the one before it.
    const before = previousContent(a, frame.start, clause.start);
    // "batal gulanya": the sugar out ("batal pesan gula" is the order's cancel).
    if (before !== undefined && (negatesItem(a, before) || (a.words[before] === 'batal' && namesWithNya(a, frame)))) {
      const after = frames.findIndex((other, j) => j > index && other.productIds.length === 1);
      const earlier = frames.findLastIndex((other, j) => j < index && other.productIds.length === 1 && !marks[j].dropped);
      const replacement = after >= 0 ? after : earlier;
      if (replacement >= 0 && frame.productIds.length === 1) {
        mark.dropped = true;
        marks[replacement].replaces = frame.productIds[0];
      } else mark.edit = 'remove';
    }
    // "ganti beras jadi premium", "baputnya ganti bamer": the first names the line, the second what it becomes.
    const next = frames[index + 1];
    const replaceBetween = next !== undefined && a.words.slice(frame.end, next.start).some((word) => EDIT_WORDS.get(word ?? '') === 'replace');
    if ((edit === 'replace' || replaceBetween) && next !== undefined && next.start < clause.end && frame.productIds.length === 1 && next.productIds.length === 1 && linksSwap(a, frame.end, next.start)) {
      mark.dropped = true;
      marks[index + 1].replaces = frame.productIds[0];
    }
  });
  return marks;
}

function nearestEditWord(a: MessageAnalysis, frames: readonly ItemFrame[], index: number): ItemMarks['edit'] {
  const floor = index > 0 ? frames[index - 1].start : 0;
  for (let i = frames[index].start - 1; i >= floor; i--) {
    const edit = EDIT_WORDS.get(a.words[i] ?? '');
    if (edit !== undefined) return edit;
  }
  if (index === 0) return undefined;
  // Edit words of an earlier item carry on ("hapus gula sama telur"), but an amount given after
  // a removal in another clause is a new item ("hapus beras medium, premium 5 kg").
  const carried = nearestEditWord(a, frames, index - 1);
  const newClause = a.tokens.slice(frames[index - 1].end, frames[index].start).some((token) => token.kind === 'sep');
  return carried === 'remove' && newClause && frames[index].quantity !== undefined ? 'add' : carried;
}

/**
 * Goods the resident has already: "di rumah masih ada beras", "minyak goreng masih banyak",
 * "beras masih 3 kg" (that amount is what is left, not an order). Never when asking whether
 * the shop has them ("beras masih ada?", "telur masih ada ga kak").
 */
function stillHas(a: MessageAnalysis, frame: ItemFrame, clause: { start: number; end: number }): boolean {
  if (a.tokens[clause.end]?.kind === 'q') return false;
  const words = a.words.slice(clause.start, clause.end);
  if (words.some((word) => word !== undefined && STILL_HAS_ASKS.has(word))) return false;
  for (let i = clause.start; i < clause.end - 1; i++) {
    if (a.words[i] === 'tinggal' || a.words[i] === 'sisa') {
      // "beras di rumah tinggal 1 kg": after the goods, the amount left.
      if (i >= frame.end && (a.tokens[i + 1]?.kind === 'num' || a.infos[i + 1]?.kind === 'number')) return true;
      continue;
    }
    if (a.words[i] !== 'masih') continue;
    // "minyak msh ada 2 liter": the amount left, after "masih ada".
    const amountAt = STILL_HAS.has(a.words[i + 1] ?? '') ? i + 2 : i + 1;
    if (frame.quantity === undefined && STILL_HAS.has(a.words[i + 1] ?? '')) return true;
    // "beras masih 3 kg", "minyak di rumah masih setengah": after the goods, the amount left.
    if (i >= frame.end && (a.tokens[amountAt]?.kind === 'num' || a.infos[amountAt]?.kind === 'number')) return true;
  }
  return false;
}

/** A statement about the goods' price or quality ("kemahalan", "jelek"), not a question about them. */
function judged(a: MessageAnalysis, clause: { start: number; end: number }): boolean {
  if (a.tokens[clause.end]?.kind === 'q') return false;
  return a.words.slice(clause.start, clause.end).some((word) => word !== undefined && JUDGEMENT_WORDS.has(word));
}

const JUDGEMENT_WORDS = new Set(['mahal', 'kemahalan', 'mahalan', 'jelek', 'bau', 'apek', 'basi', 'pera']);

/** "kemarin beli telor 2 papan": a purchase in the past, told in its own clause. */
function boughtBefore(a: MessageAnalysis, clause: { start: number; end: number }): boolean {
  const words = a.words.slice(clause.start, clause.end);
  return words.includes('kemarin') && words.some((word) => word === 'beli' || word === 'pesan');
}

const STILL_HAS = new Set(['ada', 'banyak', 'punya', 'sisa']);
/** A clause with these asks whether goods are still sold ("masih ada ga?", "apa masih ada"). */
const STILL_HAS_ASKS = new Set(['tidak', 'apa', 'apakah', 'kah']);

function dropsAt(a: MessageAnalysis, i: number): boolean {
  const word = a.words[i] ?? '';
  // "susu jangan deh, lagi mahal": "jangan" closing the clause (not "jangan yang premium").
  // "gulanya gak usah bu" drops the sugar; "beras 5kg ga usah diantar" refuses the delivery.
  return DROP_AFTER.has(word) || (word === 'tidak' && a.words[i + 1] === '' && !CHECKOUT_VERBS.has(a.words[i + 2] ?? '')) || (word === 'jangan' && closes(a, i + 1));
}

/** "tapi gulanya nanti aja", "minyaknya nanti dulu": not in this order ("nanti aja diantar" is about the delivery). */
function putOffAt(a: MessageAnalysis, i: number): boolean {
  return a.words[i] === 'nanti' && ['aja', 'dulu'].includes(a.words[i + 1] ?? '') && (closes(a, i + 2) || CONDITION_WORDS.has(a.words[i + 2] ?? ''));
}

/** "gasnya nanti aja kalau udah habis": a put-off with its condition. */
const CONDITION_WORDS = new Set(['kalau', 'kalo', 'klo', 'kl', 'pas', 'kapan', 'habis', 'abis', 'setelah', 'sesudah']);

/** True when nothing but particles is left of the clause at j. */
function closes(a: MessageAnalysis, j: number): boolean {
  return j >= a.tokens.length || a.tokens[j].kind === 'sep' || a.tokens[j].kind === 'q' || a.words[j] === '' || PARTICLE_WORDS.has(a.words[j] ?? '');
}

/** The product written with "-nya" ("telurnya", "gula nya"): the one already talked about. */
function namesWithNya(a: MessageAnalysis, frame: ItemFrame): boolean {
  for (let i = frame.start; i < frame.end; i++) if (a.tokens[i].text.endsWith('nya')) return true;
  return a.tokens[frame.end]?.text === 'nya';
}

/** "bukan X", "jangan X", "gak usah X", "ga jadi X" (right before the item: "gak jadi pesen X" cancels), "no X". */
function negatesItem(a: MessageAnalysis, i: number): boolean {
  const word = a.words[i];
  // English "no gas" (a number after "no" makes it a house number, never an item).
  if (word === 'no') return a.tokens[i + 1]?.kind === 'word';
  // "ga usah pake gula", "jangan beli minyak": the verb between the refusal and the goods ("gak jadi
  // pesen X" still cancels the order).
  if (word !== undefined && REFUSED_VERBS.has(word) && i > 0) {
    const j = a.words[i - 1] === '' ? i - 2 : i - 1;
    return a.words[j] === 'jangan' || a.words[j] === 'gausah' || (a.words[j] === 'tidak' && a.words[j + 1] === '');
  }
  return word === 'bukan' || word === 'jangan' || word === 'gajadi' || word === 'gausah' || (word === 'tidak' && a.words[i + 1] === '');
}

const REFUSED_VERBS = new Set(['pakai', 'pake', 'beli', 'pesan', 'ambil', 'kirim']);
/** After "ga usah", these refuse a way of delivery or payment, not the goods before them. */
const CHECKOUT_VERBS = new Set(['kirim', 'dikirim', 'ambil', 'bayar', 'transfer']);

function linksSwap(a: MessageAnalysis, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const word = a.words[i];
    if (a.tokens[i].kind === 'sep') return false;
    if (word !== undefined && word !== '' && !SWAP_LINKS.has(word) && word !== 'yang' && EDIT_WORDS.get(word) !== 'replace') return false;
  }
  return true;
}

/** The tokens between the separators around a frame. */
function clauseOf(a: MessageAnalysis, frame: ItemFrame): { start: number; end: number } {
  let start = frame.start;
  while (start > 0 && a.tokens[start - 1].kind !== 'sep' && a.tokens[start - 1].kind !== 'q') start--;
  let end = frame.end;
  while (end < a.tokens.length && a.tokens[end].kind !== 'sep' && a.tokens[end].kind !== 'q') end++;
  return { start, end };
}

function previousContent(a: MessageAnalysis, from: number, start: number): number | undefined {
  for (let i = from - 1; i >= start; i--) if (a.words[i] !== '' && !['yang', 'eh', 'salah'].includes(a.words[i] ?? '')) return i;
  return undefined;
}
