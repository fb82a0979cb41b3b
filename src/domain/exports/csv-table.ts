import { stringify } from 'csv-stringify/sync';

/** A cell of an exported table: text is neutralised against formulas, numbers are written as they are. */
export type CsvCell = string | number;

export interface CsvTable {
  columns: readonly string[];
  rows: CsvCell[][];
}

/** Characters a spreadsheet may take as the start of a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+62...`, `-1+1`)
 * gets a leading apostrophe. Numbers are never touched: -50000 in an amount column stays
 * a number; only text can carry a formula.
 */
export function neutraliseCell(cell: CsvCell): CsvCell {
  return typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * Writes a table as CSV text: a header row, commas, \r\n line endings (RFC 4180), and a
 * byte order mark so Excel reads the file as UTF-8 rather than the machine's code page.
 */
export function writeCsvTable(table: CsvTable): string {
  return stringify([[...table.columns], ...table.rows.map((row) => row.map(neutraliseCell))], { bom: true, record_delimiter: 'windows' });
}
