import type { MessageAnalysis } from './analyze-message.js';
import { CLASSIFIERS, matchProductAt, type Catalog, type ProductMatch } from './catalog.js';
import { ADDRESS_WORDS, NO_WORDS, SEPARATOR_WORDS, STREET_WORDS, isOtherGoodsWord } from './lexicon.js';
import { CORRECTION_CUES } from './detect-quantity-correction.js';
import { readQuantityAt, type Quantity } from './parse-quantity.js';
import type { Clarification, ItemMarks, ItemRequest } from './types.js';
import { lookupUnit, resolveUnit } from './units.js';

/** One thing the resident asked for, before it is resolved against the catalogue. */
export interface ItemFrame {
  /** Product candidates; empty for an unknown product. */
  productIds: readonly string[];
  text: string;
  quantity?: Quantity;
  partial: boolean;
  head: boolean;
  /** The first match key of the product words, for sibling lookups. */
  headKey?: string;
  start: number;
  end: number;
  /** The quantity given cannot be meant ("-5 kg", "1000000 kg"): ask instead of assuming one. */
  unclearQuantity?: string;
  /** Tokens of the later clause the quantity came from ("ayamnya kurang, harusnya 1,5 kg"). */
  amountClause?: { start: number; end: number };
}

export interface ExtractedItems {
  frames: ItemFrame[];
  /** Unknown-word spans (possible products not in the catalogue), in order. */
  unknowns: ItemFrame[];
  /** Amounts no product took ("beras 5 kg 2 karung", "mau 2 liter ya, sama gula 1 kg"): never dropped silently. */
  looseAmounts: Quantity[];
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function spanText(a: MessageAnalysis, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += (i > start ? ' ' : '') + a.tokens[i].text;
  return out;
}

/** Words that take back the amount just given inside one message ("5kg eh 3kg"): the cues, less those that also start a new item ("ganti", "jadi"). */
const TAKE_BACK_WORDS = new Set([...CORRECTION_CUES].filter((word) => !['jadi', 'jadiin', 'jadikan', 'ganti', 'ubah'].includes(word)));

/** Long digit strings are phone numbers, PINs or house numbers, never quantities. */
function isReferenceNumber(a: MessageAnalysis, i: number): boolean {
  const t = a.tokens[i];
  if (t.kind !== 'num') return false;
  if (t.text.length >= 7 && !t.text.includes('.') && !t.text.includes(',')) return true;
  // "untuk 3 orang": a count of people, not of goods.
  if (a.words[i + 1] === 'orang') return true;
  // "no. 12": look past a full stop.
  let j = i - 1;
  if (j >= 0 && a.tokens[j].kind === 'sep' && a.tokens[j].text === '.') j--;
  const prev = j >= 0 ? a.words[j] : undefined;
  // "Jl. Gula Batu 3", "gg. mangga 2": the number of a street.
  return prev !== undefined && (ADDRESS_WORDS.has(prev) || namesStreet(a, j));
}

/** True when two products share a head word (are varieties of one thing: bawang merah, bawang putih). */
function sameFamily(catalog: Catalog, a: string, b: string): boolean {
  for (const word of catalog.productWords.get(a) ?? []) {
    const heads = catalog.wordProducts.get(word)?.heads;
    if (heads !== undefined && heads.includes(a) && heads.includes(b)) return true;
  }
  return false;
}

/**
 * True when `word`, written after the frame's product, is a variety word (it tells other products
 * apart) the product does not own, and so names something else: always within the product's own
 * family ("bamer putih"), and from another family when the resident named only the generic head
 * ("cabe merah", "beras merah"; but "cabe rawit merah" is still cabai rawit, only red).
 */
function namesOtherVariety(a: MessageAnalysis, catalog: Catalog, frame: ItemFrame, word: string, wordProductIds: readonly string[]): boolean {
  if (!catalog.variantWords.has(word) || frame.productIds.length === 0) return false;
  if (frame.productIds.every((id) => catalog.productWords.get(id)?.has(word) === true)) return false;
  if (frame.productIds.some((id) => wordProductIds.some((other) => sameFamily(catalog, id, other)))) return true;
  const first = a.keys[frame.start] ?? '';
  const opensLongerName = catalog.phrasesByFirstKey.get(first)?.some((phrase) => phrase.keys.length > 1) === true;
  return frame.end - frame.start === 1 && opensLongerName;
}

/** True when index i is right after the frame, or after only "yang" ("telur yg bebek"). */
function followsDirectly(a: MessageAnalysis, frame: ItemFrame, i: number): boolean {
  for (let k = frame.end; k < i; k++) if (a.words[k] !== 'yang') return false;
  return true;
}

/** True when the word at i follows the amount just read directly, or after only "yang". */
function onlyYangBefore(a: MessageAnalysis, i: number): boolean {
  const previous = a.tokens[i - 1];
  if (previous === undefined || previous.kind === 'sep') return false;
  return a.words[i - 1] === 'yang' ? a.tokens[i - 2]?.kind !== 'sep' : true;
}

/**
 * A clause that is only "yang" and a variety word, with no amount of its own, speaks of the
 * product of the clause before: "berasnya 5 kg ya, yg premium" says which rice ('variety');
 * "gula 1 kg, yang putih" describes the sugar and names nothing else ('describes'). With an
 * amount ("yg premium 2 kg") it is another item.
 */
function readAfterword(a: MessageAnalysis, catalog: Catalog, before: ItemFrame, match: ProductMatch, i: number): 'variety' | 'describes' | undefined {
  if (a.words[i - 1] !== 'yang' || a.tokens[i - 2]?.kind !== 'sep' || !match.partial || match.head) return undefined;
  // "yang medium juga", "yg premium 2 kg": another item.
  for (let k = match.end; k < a.tokens.length && a.tokens[k].kind !== 'sep'; k++) if (a.tokens[k].kind === 'num' || ALSO_WORDS.has(a.words[k] ?? '')) return undefined;
  const wordsOf = (ids: readonly string[]) => ids.flatMap((id) => [...(catalog.productWords.get(id) ?? [])]);
  const beforeWords = new Set(wordsOf(before.productIds));
  // Products sharing a head word ("beras") are one family; "premium, yang biasa" swaps within it.
  const related = wordsOf(match.productIds).some((word) => beforeWords.has(word) && (catalog.wordProducts.get(word)?.heads.length ?? 0) > 1);
  if (!related) return 'describes';
  const generic = before.end - before.start === 1 && (catalog.wordProducts.get(before.headKey ?? '')?.heads.length ?? 0) > 1;
  if (generic && match.productIds.length === 1) return 'variety';
  // "ga jadi premium, yang biasa aja": the other variety is the one wanted now; after a variety
  // kept ("ganti medium aja, yg premium mahal") it only says why.
  let k = before.start - 1;
  while (k >= 0 && a.words[k] === '') k--;
  return refuses(a.words[k] ?? '') ? undefined : 'describes';
}

const ALSO_WORDS = new Set(['juga', 'lagi', 'tambah']);
/** In a clause of its own, an amount with these is the one meant now ("sekarang 1 papan aja", "tinggal 1 kg, pesen 5 kg"). */
const RESTATING_WORDS = new Set(['sekarang', 'aja', 'cukup', 'pesan', 'beli']);

/** True when a refusal comes right before the frame, "yang" aside ("jangan yang premium", "bukan terigu"). */
function refusedBefore(a: MessageAnalysis, frame: ItemFrame): boolean {
  let k = frame.start - 1;
  while (k >= 0 && (a.words[k] === 'yang' || a.words[k] === '')) k--;
  return k >= 0 && refuses(a.words[k] ?? '');
}

/** A word before a product that takes it back ("ga jadi premium", "bukan beras"). */
const refuses = (word: string): boolean => NO_WORDS.has(word) || word === 'bukan' || word === 'hapus';

/**
 * "mau pesn berat 5kg sm gula 1kg": phones autocorrect "beras" to "berat" (weight). Read as
 * rice only where rice is sold and a weight in kilos follows at once, as an order line would.
 */
function autocorrectedRice(a: MessageAnalysis, catalog: Catalog, i: number): ProductMatch | undefined {
  if (a.tokens[i].text !== 'berat' || a.tokens[i + 1]?.kind !== 'num') return undefined;
  const amount = readQuantityAt(a.tokens, a.words, i + 1);
  if (amount?.quantity.unit !== 'kg') return undefined;
  const keys = [...a.keys];
  keys[i] = 'beras';
  return matchProductAt(catalog, keys, a.infos, i);
}

/** True for a word right after a street word ("Jl. Kopi Luwak"), or after another word of that street name. */
function namesStreet(a: MessageAnalysis, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && a.tokens[k].kind === 'sep' && a.tokens[k].text === '.') k--;
  if (k < 0 || a.tokens[k].kind !== 'word') return false;
  return STREET_WORDS.has(a.words[k] ?? '') || (k === i - 1 && namesStreet(a, k) && a.infos[i]?.kind !== 'known');
}

/** Words after which a lone "teh" addresses someone: greetings, yeses, thanks, "aja". */
const BEFORE_ADDRESSING = new Set(['permisi', 'ya', 'aja', 'makasih', 'nuhun', 'sendiri']);

/** "punten teh", "muhun teh": "teh" alone after a greeting or a yes, with nothing after it in its clause. */
function callsTheShopkeeper(a: MessageAnalysis, match: ProductMatch): boolean {
  if (a.tokens[match.start].text !== 'teh' || match.end - match.start !== 1) return false;
  const next = a.tokens[match.end];
  return BEFORE_ADDRESSING.has(a.words[match.start - 1] ?? '') && (next === undefined || next.kind === 'sep' || next.kind === 'q');
}

/** How far past a product name to look for its own quantity ("indomie goreng soto 2"). */
const MAX_QUALIFIER_WORDS = 3;

/**
 * True for an unknown-word span that is not known to name goods ("titip", not "sabun"): it may be
 * a verb or any other word, so it does not end the item that follows it.
 */
function isBareUnknown(a: MessageAnalysis, frame: ItemFrame): boolean {
  if (frame.productIds.length > 0 || a.infos[frame.start]?.kind !== 'unknown') return false;
  for (let k = frame.start; k < frame.end; k++) if (isOtherGoodsWord(a.tokens[k].text)) return false;
  return true;
}

/**
 * True when a catalogue product starts at index j and no quantity of its own follows it: then a
 * quantity just before it is its quantity ("buat bu sri 2 kg gula"), but in "sabun 2 beras 5kg"
 * the 2 stays with "sabun".
 */
function productTakesQuantity(a: MessageAnalysis, catalog: Catalog, j: number): boolean {
  if (a.tokens[j]?.kind !== 'word') return false;
  const match = matchProductAt(catalog, a.keys, a.infos, j);
  if (match === undefined) return false;
  let k = match.end;
  // Qualifiers and brands after the name ("indomie goreng", "kopi kapal api").
  while (k < a.tokens.length && k - match.end < MAX_QUALIFIER_WORDS && a.tokens[k].kind === 'word' &&
    (a.infos[k]?.kind === 'product' || a.infos[k]?.kind === 'unknown')) k++;
  if (k >= a.tokens.length || isReferenceNumber(a, k)) return true;
  const own = readQuantityAt(a.tokens, a.words, k);
  if (own === undefined) return true;
  // "titip 2 kg gula 3 kg beras": quantities written before their products, all along.
  return a.tokens[own.end]?.kind === 'word' && matchProductAt(catalog, a.keys, a.infos, own.end) !== undefined;
}

/**
 * Walks the message once, pairing products with the quantities around them. A quantity after a
 * product belongs to it until it has one; otherwise it waits for the next product
 * ("2kg beras 1kg gula"). Separators (comma, dan, sama, new line) end the current item.
 */
export function extractItems(a: MessageAnalysis, catalog: Catalog): ExtractedItems {
  const frames: ItemFrame[] = [];
  const unknowns: ItemFrame[] = [];
  const looseAmounts: Quantity[] = [];
  let current: ItemFrame | undefined;
  let pending: Quantity | undefined;
  // A product of the clause before that got no amount, and where the current clause began:
  // "ayamnya kurang, harusnya 1,5 kg" gives the chicken its amount in the next clause.
  let awaiting: ItemFrame | undefined;
  // The last product of the clause before: "berasnya 5 kg ya, yg premium" names its variety.
  let closed: ItemFrame | undefined;
  let clauseStart = 0;
  const settlePending = (end: number): void => {
    if (pending === undefined) return;
    // "kemarin beli telor 2 papan udah abis, sekarang 1 papan aja": the amount said to be the
    // one now, in the unit of the goods before it, replaces theirs.
    const restated = awaiting === undefined && current === undefined && pending.unit !== undefined && pending.unit === closed?.quantity?.unit &&
      a.words.slice(clauseStart, end).some((word) => RESTATING_WORDS.has(word ?? ''));
    if (restated) awaiting = closed;
    if (awaiting !== undefined) {
      awaiting.quantity = pending;
      awaiting.amountClause = { start: clauseStart, end };
    } else looseAmounts.push(pending);
    pending = undefined;
    awaiting = undefined;
  };
  let pendingUnclear: string | undefined;
  // What the previous meaningful element was, for merging and absorbing.
  let last: 'product' | 'qty' | 'unknown' | 'other' = 'other';
  const n = a.tokens.length;
  let i = 0;
  // "beras 5kg eh 3kg aja": after a correction word, a second quantity replaces the first.
  let correcting = false;
  const attach = (q: Quantity): void => {
    if (correcting && current?.quantity !== undefined && last !== 'product') {
      current.quantity = q;
      correcting = false;
      return;
    }
    // "tabung gas 2": the count completes a unit written on its own.
    const held = current?.quantity ?? pending;
    if (held?.implicit && q.unit === undefined && q.amountRp === undefined) {
      const merged: Quantity = { value: q.value, unit: held.unit };
      if (current?.quantity === held) current.quantity = merged;
      else pending = merged;
      return;
    }
    // "one 3 kg LPG cylinder": the unit word completes a count written before the product.
    if (q.implicit && q.unit !== undefined && current?.quantity !== undefined && current.quantity.unit === undefined && current.quantity.amountRp === undefined) {
      current.quantity = { value: current.quantity.value, unit: q.unit };
      return;
    }
    if (current !== undefined && current.quantity === undefined) current.quantity = q;
    else pending = q;
  };
  const makeUnknown = (frame: ItemFrame): void => {
    frame.productIds = [];
    const at = frames.lastIndexOf(frame);
    if (at >= 0) frames.splice(at, 1);
    unknowns.push(frame);
  };
  while (i < n) {
    const t = a.tokens[i];
    const info = a.infos[i];
    const takesBack = t.kind === 'word' && (TAKE_BACK_WORDS.has(t.text) || TAKE_BACK_WORDS.has(a.words[i] ?? ''));
    // "minyak tiga liter, eh bukan, dua liter": the take-back after a comma is still about the item before it.
    if (takesBack && current === undefined && closed?.quantity !== undefined && pending === undefined) current = closed;
    // "berasnya 10 kg bukan 5", "telurnya bukan 1 kg tapi 10 butir", "telur jgn 1kg": the amount
    // right after "bukan" or "jangan" is the one refused.
    if ((a.words[i] === 'bukan' || a.words[i] === 'jangan') && current !== undefined && current.productIds.length > 0 && a.tokens[i + 1]?.kind === 'num') {
      i = readQuantityAt(a.tokens, a.words, i + 1)?.end ?? i + 2;
      continue;
    }
    if (takesBack && current?.quantity !== undefined) {
      // Not a product the shop lacks: the resident is taking something back.
      correcting = true;
      i++;
      continue;
    }
    if (t.kind === 'sep' || (info !== undefined && SEPARATOR_WORDS.has(info.canon))) {
      // "5 kg salah, 3 kg": the comma belongs to the correction, not to a new item.
      if (correcting && t.kind === 'sep') {
        i++;
        continue;
      }
      settlePending(i);
      // A clause without a product ("5 kg juga") leaves the one before it the last named.
      if (current !== undefined) {
        const named = current.productIds.length > 0;
        closed = named ? current : undefined;
        // "beras jangan yang premium ya, 5 kg": the amount is for the rice, not the variety refused.
        const meant = refusedBefore(a, current) ? frames.at(-2) : current;
        awaiting = named && meant !== undefined && !refusedBefore(a, meant) && meant.quantity === undefined && meant.unclearQuantity === undefined ? meant : undefined;
      }
      current = undefined;
      last = 'other';
      i++;
      clauseStart = i;
      continue;
    }
    if (t.kind === 'q') { i++; continue; }
    // "kopinya 1 renceng aja, bukan sachet": the unit refused is not another item.
    const spoken = current ?? closed;
    const refusedUnit = t.kind === 'word' && (a.words[i - 1] === 'bukan' || a.words[i - 1] === 'jangan') ? lookupUnit(t.text, false) : undefined;
    if (refusedUnit !== undefined && spoken?.quantity?.unit !== undefined && spoken.quantity.unit !== refusedUnit) {
      i++;
      continue;
    }
    // "Jl. Kopi Luwak", "jl gula batu": goods words naming a street are the street's.
    if (t.kind === 'word' && namesStreet(a, i)) {
      i++;
      continue;
    }
    let match: ProductMatch | undefined;
    // A number starts a product only as its size ("3 kg lpg"); matchProductAt finds no single word there.
    if (t.kind === 'word' || t.kind === 'num') match = matchProductAt(catalog, a.keys, a.infos, i) ?? autocorrectedRice(a, catalog, i);
    // "punten teh", "muhun teh", "ambil sendiri wae teh": Sundanese "teh" (sister) calls the shopkeeper.
    if (match !== undefined && callsTheShopkeeper(a, match)) {
      i = match.end;
      continue;
    }
    if (match !== undefined) {
      const text = spanText(a, match.start, match.end);
      const unitWord = match.end - match.start === 1 ? lookupUnit(t.text, true) : undefined;
      if (current !== undefined && current.productIds.length > 0 && sameIds(current.productIds, match.productIds)) {
        // "aqua galon 2 galon": the second "galon" is the unit of the first.
        if (last === 'qty' && unitWord !== undefined && current.quantity !== undefined && current.quantity.unit === undefined && current.quantity.amountRp === undefined) {
          current.quantity = { ...current.quantity, unit: unitWord };
          i = match.end;
          last = 'qty';
          continue;
        }
        // "gas elpiji 3kg": two names of one product.
        if (last === 'product' || current.quantity === undefined) {
          current.end = match.end;
          current.text = spanText(a, current.start, current.end);
          i = match.end;
          last = 'product';
          continue;
        }
      }
      // "premium rice", "SPHP rice": a variety named before its product's head word is that variety.
      if (last === 'product' && current !== undefined && current.productIds.length === 1 && match.head &&
        current.end === i && catalog.productWords.get(current.productIds[0])?.has(a.keys[match.start] ?? '') === true) {
        current.end = match.end;
        current.text = spanText(a, current.start, current.end);
        current.partial = false;
        i = match.end;
        continue;
      }
      const afterwords = current === undefined && closed !== undefined ? readAfterword(a, catalog, closed, match, i) : undefined;
      if (afterwords === 'describes') {
        // "gula 1 kg, yang putih": a word about the sugar, not one kilo of white onions.
        i = match.end;
        last = 'other';
        continue;
      }
      if (afterwords === 'variety' && closed !== undefined) {
        closed.productIds = match.productIds;
        closed.partial = false;
        closed.end = match.end;
        closed.text = spanText(a, closed.start, closed.end);
        current = closed;
        last = 'product';
        i = match.end;
        continue;
      }
      // "beras 5 kg yang premium": a variety right after the amount qualifies the product before it.
      const qualifiesAfterAmount = last === 'qty' && current !== undefined && current.quantity !== undefined && current.productIds.length > 0 && onlyYangBefore(a, i);
      // A qualifier right after a product describes it ("indomie goreng"), and a word of the
      // product's own name continues it ("telor ayam").
      const continuesName = match.partial && current !== undefined && current.productIds.length === 1 && match.end - match.start === 1 &&
        catalog.productWords.get(current.productIds[0])?.has(a.keys[match.start] ?? '') === true;
      // A qualifier after goods we lack ("cabe merah putih", "sabun merah") describes those goods.
      const describesUnknown = last === 'unknown' && current !== undefined && current.productIds.length === 0 && current.end === i &&
        !match.head && !isBareUnknown(a, current);
      if ((last === 'product' || describesUnknown || qualifiesAfterAmount) && current !== undefined && match.partial && (!match.head || continuesName)) {
        // "beras yg premium", "bawang yg merah": the qualifier picks a sibling sharing the head word.
        const headWord = a.keys[current.start] ?? '';
        const word = a.keys[match.start] ?? '';
        if (describesUnknown) {
          // Already goods we lack: the qualifier only lengthens their name.
        } else if (match.productIds.length === 1 && !continuesName && catalog.productWords.get(match.productIds[0])?.has(headWord) === true) {
          current.productIds = match.productIds;
          current.partial = false;
        } else if (!continuesName && namesOtherVariety(a, catalog, current, word, match.productIds)) {
          // "cabe merah", "beras merah": a word telling other products apart names a variety we lack.
          makeUnknown(current);
          last = 'unknown';
        }
        current.end = match.end;
        current.text = spanText(a, current.start, current.end);
        i = match.end;
        continue;
      }
      const frame: ItemFrame = { productIds: match.productIds, text, partial: match.partial, head: match.head, headKey: a.keys[match.start], start: match.start, end: match.end };
      if (pending !== undefined) { frame.quantity = pending; pending = undefined; }
      if (pendingUnclear !== undefined) { frame.unclearQuantity = pendingUnclear; pendingUnclear = undefined; }
      frames.push(frame);
      current = frame;
      awaiting = undefined;
      last = 'product';
      i = match.end;
      continue;
    }
    // "-5 kg", "99999999 kg": written as a quantity, but none anyone means.
    if (a.tokens[i].kind === 'num' && (a.tokens[i].negative || isReferenceNumber(a, i)) && lookupUnit(a.tokens[i + 1]?.text ?? '') !== undefined) {
      const text = `${a.tokens[i].negative ? '-' : ''}${a.tokens[i].text} ${a.tokens[i + 1].text}`;
      if (current !== undefined && current.quantity === undefined) current.unclearQuantity = text;
      else pendingUnclear = text;
      i += 2;
      last = 'qty';
      continue;
    }
    // "potong simpanan", "potong saldo": the verb "cut" that pays from savings, not "pieces".
    if (t.text === 'potong' && ['simpanan', 'saldo', 'tabungan'].includes(a.words[i + 1] ?? '')) {
      i++;
      continue;
    }
    // "5 kg of the medium one": English "one" closing a product's name stands for it, not a count.
    if (t.text === 'one' && last === 'product' && (i + 1 >= n || a.tokens[i + 1].kind === 'sep')) {
      i++;
      continue;
    }
    if (!isReferenceNumber(a, i)) {
      const reading = readQuantityAt(a.tokens, a.words, i);
      // "minyak yang 15rb an itu 2 liter", "beras yang harga 13 ribuan": a rough price after "yang"
      // says which goods, not how much ("gula yang 20rb aja" is still 20rb worth).
      const roughPrice = reading !== undefined && (a.tokens[reading.end]?.text === 'an' || a.tokens[reading.end - 1].text.endsWith('an'));
      if (reading?.quantity.amountRp !== undefined && roughPrice && current !== undefined && ['yang', 'harga'].includes(a.words[i - 1] ?? '')) {
        i = a.tokens[reading.end]?.text === 'an' ? reading.end + 1 : reading.end;
        continue;
      }
      if (reading !== undefined) {
        const unitIndex = reading.end - 1;
        const unit = reading.quantity.unit;
        const unitIsProduct = unit !== undefined && unitIndex > i && a.infos[unitIndex]?.kind === 'product';
        // "gas 2 galon 1": gas is not sold by the galon, so "galon" starts the next item.
        if (unitIsProduct && current !== undefined && current.quantity === undefined && current.productIds.length === 1 &&
          !(catalog.unitCodes.get(current.productIds[0]) ?? []).includes(unit)) {
          current.quantity = { value: reading.quantity.value };
          last = 'qty';
          i = unitIndex;
          continue;
        }
        // "2 galon": the unit word is also the product's name.
        if (unitIsProduct && (current === undefined || current.quantity !== undefined)) {
          const unitMatch = matchProductAt(catalog, a.keys, a.infos, unitIndex);
          if (unitMatch !== undefined && unitMatch.productIds.length === 1) {
            const frame: ItemFrame = { productIds: unitMatch.productIds, text: spanText(a, unitIndex, unitIndex + 1), quantity: reading.quantity, partial: false, head: true, start: i, end: reading.end };
            frames.push(frame);
            current = frame;
            awaiting = undefined;
            pending = undefined;
            last = 'product';
            i = reading.end;
            continue;
          }
        }
        // "buat bu sri 2 kg gula": a quantity between an unknown word and a product waits for the product.
        if (current !== undefined && current.quantity === undefined && isBareUnknown(a, current) && productTakesQuantity(a, catalog, reading.end)) {
          pending = reading.quantity;
          last = 'qty';
          i = reading.end;
          continue;
        }
        // "tlr 3 xx": a short unknown word right after a bare number is likely a unit we do not
        // know; the amount is asked, never read in the product's first unit.
        const after = reading.end;
        if (last === 'product' && current !== undefined && current.quantity === undefined && reading.quantity.unit === undefined && reading.quantity.amountRp === undefined &&
          a.tokens[after]?.kind === 'word' && a.infos[after]?.kind === 'unknown' && a.tokens[after].text.length <= 3) {
          current.unclearQuantity = `${a.tokens[i].text} ${a.tokens[after].text}`;
          last = 'qty';
          i = after + 1;
          continue;
        }
        attach(reading.quantity);
        last = 'qty';
        i = reading.end;
        continue;
      }
    } else {
      i++;
      last = 'other';
      continue;
    }
    if (info !== undefined && info.kind === 'unknown') {
      let end = i + 1;
      while (end < n && end - i < 3 && a.infos[end]?.kind === 'unknown') end++;
      if (last === 'product' && current !== undefined && followsDirectly(a, current, i)) {
        if ((current.partial && CLASSIFIERS.has(a.keys[current.start] ?? '')) || isOtherGoodsWord(a.tokens[i].text)) {
          // "daging sapi", "telur bebek": a classifier or a known other kind names a product we lack.
          makeUnknown(current);
          last = 'unknown';
        }
        // Otherwise a brand or variant of the product: "kopi kapal api", "indomie soto".
        current.end = end;
        current.text = spanText(a, current.start, end);
      } else {
        const frame: ItemFrame = { productIds: [], text: spanText(a, i, end), partial: false, head: false, start: i, end };
        if (pending !== undefined) { frame.quantity = pending; pending = undefined; }
        unknowns.push(frame);
        current = frame;
        awaiting = undefined;
        last = 'unknown';
      }
      i = end;
      continue;
    }
    // "beras jangan yang premium": a refusal between a product and a variety word keeps them apart.
    if (refuses(a.words[i] ?? '') && refuses(t.text)) last = 'other';
    i++;
  }
  settlePending(n);
  return { frames: foldVarietyRestatements(a, catalog, frames), unknowns, looseAmounts };
}

/**
 * "minyak 2 liter, beras 5 kg, … eh berasnya premium ya": a later "-nya" naming a variety of goods
 * already given by their generic word, with no amount of its own, says which variety they are.
 */
function foldVarietyRestatements(a: MessageAnalysis, catalog: Catalog, frames: ItemFrame[]): ItemFrame[] {
  const folded = frames.filter((later, j) => {
    const withNya = a.tokens.slice(later.start, later.end).some((token) => token.text.endsWith('nya'));
    if (!withNya || later.quantity !== undefined || later.productIds.length !== 1) return true;
    const earlier = frames.find((other, k) => k < j && other.end - other.start === 1 && other.productIds.length === 1 &&
      other.productIds[0] !== later.productIds[0] && sameFamily(catalog, other.productIds[0], later.productIds[0]) &&
      (catalog.wordProducts.get(other.headKey ?? '')?.heads.length ?? 0) > 1);
    if (earlier === undefined) return true;
    earlier.productIds = later.productIds;
    earlier.partial = false;
    // No longer the generic word: the variety is named.
    earlier.headKey = undefined;
    return false;
  });
  return folded;
}

/**
 * "beras sekarung": Beras Medium is not sold by the sack, but the one rice that is (SPHP) is
 * what the resident means. Only a sibling named by the same head word, and only when unique.
 */
function findSiblingSelling(frame: ItemFrame, productId: string, unit: string, catalog: Catalog): string | undefined {
  // Only a bare generic word ("beras"), never a specific name ("beras premium").
  if (frame.end - frame.start !== 1) return undefined;
  const entry = catalog.wordProducts.get(frame.headKey ?? '');
  if (entry === undefined) return undefined;
  let found: string | undefined;
  for (const id of entry.heads) {
    if (id === productId || !(catalog.unitCodes.get(id) ?? []).includes(unit)) continue;
    if (found !== undefined) return undefined;
    found = id;
  }
  return found;
}

export interface ResolvedItems {
  items: ItemRequest[];
  clarifications: Clarification[];
}

/** Turns frames into catalogue items or questions for the resident. */
export function resolveFrames(frames: readonly ItemFrame[], catalog: Catalog, marks: readonly ItemMarks[] = []): ResolvedItems {
  const items: ItemRequest[] = [];
  const clarifications: Clarification[] = [];
  for (const [index, frame] of frames.entries()) {
    const { dropped, ...mark } = marks[index] ?? {};
    if (dropped) continue;
    const generic = frame.end - frame.start === 1 && (catalog.wordProducts.get(frame.headKey ?? '')?.heads.length ?? 0) > 1;
    const push = (item: ItemRequest) => items.push({ ...item, ...mark, ...(generic ? { generic: true as const } : {}) });
    const q = frame.quantity;
    if (frame.productIds.length === 0) {
      clarifications.push({ kind: 'unknown_product', text: frame.text });
      continue;
    }
    if (frame.productIds.length > 1) {
      const c: Clarification = { kind: 'ambiguous_product', text: frame.text, candidates: [...frame.productIds] };
      if (q?.amountRp !== undefined) c.amountRp = q.amountRp;
      else if (q !== undefined) {
        c.quantity = q.value;
        if (q.unit !== undefined) c.unit = q.unit;
      }
      clarifications.push(c);
      continue;
    }
    const productId = frame.productIds[0];
    if (frame.unclearQuantity !== undefined && q === undefined) { clarifications.push({ kind: 'unclear_quantity', productId, text: frame.unclearQuantity }); continue; }
    if (q?.amountRp !== undefined) { push({ productId, amountRp: q.amountRp }); continue; }
    const codes = catalog.unitCodes.get(productId) ?? [];
    if (q === undefined) { push({ productId, unit: codes[0], quantity: 1, quantityImplied: true }); continue; }
    const r = resolveUnit(codes, q.unit, q.value);
    if (r.ok) { push({ productId, unit: r.unit, quantity: r.quantity, ...(q.unit === undefined && codes.length > 1 ? { unitAssumed: true as const } : {}) }); continue; }
    const sibling = findSiblingSelling(frame, productId, r.unit, catalog);
    if (sibling !== undefined) push({ productId: sibling, unit: r.unit, quantity: r.quantity });
    else clarifications.push({ kind: 'unit_not_sold', productId, unit: r.unit, quantity: r.quantity });
  }
  return { items, clarifications };
}
