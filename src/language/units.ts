/** Unit words and how a requested unit converts to one the product sells. */

/** Unit codes the parser understands; catalogue codes plus a few that only convert (gram, ml, lusin, pcs). */
const UNIT_GROUPS: Record<string, string> = {
  kg: 'kg kilo kilogram kgs kilogr kiloan kilos kilograms',
  liter: 'liter ltr l lt litre liters litr literan',
  ml: 'ml mili mililiter',
  ons: 'ons',
  gram: 'gram gr g grm gramm grams',
  butir: 'butir btr biji bj butr bji',
  papan: 'papan pp rak tray trays',
  bungkus: 'bungkus bks bgks bngks bungkusan pack packs bungkis packet packets',
  pcs: 'pcs pc piece pieces buah bh batang lembar ekor potong ikat sisir kantong kantung plastik gelas porsi pasang',
  dus: 'dus dos kardus karton box boxes carton cartons',
  tabung: 'tabung tbg cylinder cylinders',
  galon: 'galon gln gallon gallons',
  kaleng: 'kaleng klg kalengan can cans tin tins',
  botol: 'botol btl bottle bottles',
  kotak: 'kotak ktk',
  renceng: 'renceng renteng rcg rencengan rentengan',
  sachet: 'sachet saset sachetan sase sacet sachets',
  karung: 'karung sak krg karungan sack sacks',
  lusin: 'lusin lsn dozen',
};

const UNIT_WORDS = new Map<string, string>();
for (const [code, forms] of Object.entries(UNIT_GROUPS)) for (const f of forms.split(' ')) UNIT_WORDS.set(f, code);

/** Words that are units only right after a number ("2 l", "250 g"); alone they mean something else. */
const GLUED_ONLY = new Set(['l', 'g', 'bh', 'gr', 'lt', 'pc', 'kgs', 'pp']);

/** Unit words long enough to take a typo ("papn" for papan, "rencneg" for renceng). */
export const TYPO_PRONE_UNIT_WORDS: readonly string[] = [...UNIT_WORDS.keys()].filter((word) => word.length >= 4);

/** Returns the unit code for a unit word, or undefined. */
export function lookupUnit(word: string, afterNumber = true): string | undefined {
  if (!afterNumber && GLUED_ONLY.has(word)) return undefined;
  return UNIT_WORDS.get(word);
}

/** "sekilo" -> kg, "sepapan" -> papan, "selusin" -> lusin: the se- prefix means one. */
export function lookupSeUnit(word: string): string | undefined {
  // "sa-" is the same "one" in Sundanese, Batak and Minang speech ("sakilo", "sapapan").
  if (word.length < 4 || !(word.startsWith('se') || word.startsWith('sa'))) return undefined;
  const rest = word.slice(2);
  if (GLUED_ONLY.has(rest)) return undefined;
  return UNIT_WORDS.get(rest);
}

const MEASURE_UNITS = new Set(['kg', 'liter', 'ons', 'gram', 'ml']);

export type UnitResolution =
  | { ok: true; unit: string; quantity: number }
  | { ok: false; unit: string; quantity: number };

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Units that hold many pieces: a piece ("5 butir", "3 pcs") is never one of them (5 eggs are not 5 trays). */
const MULTI_PIECE_UNITS = new Set(['papan', 'lusin', 'dus', 'kotak', 'renceng', 'karung']);

/** The product's unit for one piece: the first that is neither a measure nor a container of many. */
function firstCountable(codes: readonly string[]): string | undefined {
  for (const code of codes) if (!MEASURE_UNITS.has(code) && !MULTI_PIECE_UNITS.has(code)) return code;
  return undefined;
}

/**
 * Maps a requested (unit, quantity) onto the units a product sells. `unit` undefined means a
 * bare count: the piece unit (butir) when the product sells one, else the default unit.
 */
export function resolveUnit(codes: readonly string[], unit: string | undefined, quantity: number): UnitResolution {
  const has = (c: string): boolean => codes.includes(c);
  if (unit === undefined) {
    if (has('butir')) return { ok: true, unit: 'butir', quantity };
    return { ok: true, unit: codes[0], quantity };
  }
  if (has(unit)) return { ok: true, unit, quantity };
  switch (unit) {
    case 'gram':
      if (has('kg')) return { ok: true, unit: 'kg', quantity: round(quantity / 1000) };
      if (has('ons')) return { ok: true, unit: 'ons', quantity: round(quantity / 100) };
      break;
    case 'ons':
      if (has('kg')) return { ok: true, unit: 'kg', quantity: round(quantity / 10) };
      break;
    case 'kg':
      if (has('ons')) return { ok: true, unit: 'ons', quantity: round(quantity * 10) };
      break;
    case 'ml':
      if (has('liter')) return { ok: true, unit: 'liter', quantity: round(quantity / 1000) };
      break;
    case 'lusin': {
      const piece = has('butir') ? 'butir' : firstCountable(codes);
      if (piece) return { ok: true, unit: piece, quantity: quantity * 12 };
      break;
    }
    case 'papan':
      if (has('butir')) return { ok: true, unit: 'butir', quantity: quantity * 30 };
      break;
    case 'pcs':
    case 'butir': {
      const piece = has('butir') ? 'butir' : firstCountable(codes);
      if (piece) return { ok: true, unit: piece, quantity };
      break;
    }
    case 'dus':
      if (has('kotak')) return { ok: true, unit: 'kotak', quantity };
      break;
    case 'kotak':
      if (has('dus')) return { ok: true, unit: 'dus', quantity };
      break;
    case 'bungkus':
      if (has('sachet')) return { ok: true, unit: 'sachet', quantity };
      break;
    case 'sachet':
      if (has('bungkus')) return { ok: true, unit: 'bungkus', quantity };
      break;
    default:
      break;
  }
  return { ok: false, unit, quantity };
}
