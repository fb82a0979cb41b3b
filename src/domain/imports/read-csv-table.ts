import { CsvError, parse } from 'csv-parse/sync';

/** The columns a kind of CSV file takes, spelled as the API names them (headers match case-insensitively). */
export interface CsvColumns {
  required: readonly string[];
  optional: readonly string[];
}

/** The rows of a file and the columns its header named. */
export interface CsvTable {
  columns: string[];
  rows: CsvRow[];
}

/** One data row: the cells by canonical column name (trimmed; '' when blank or the column is absent), and the file line it ends on. */
export interface CsvRow {
  line: number;
  cells: Record<string, string>;
  /** What is wrong with the row's shape (too many cells), before its values are looked at. */
  shapeErrors: string[];
}

/** The file itself cannot be read as the table expected (not a row's fault): nothing in it is looked at. */
export class CsvFileError extends Error {
  constructor(
    readonly reason: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(line === undefined ? reason : `line ${line}: ${reason}`, options);
    this.name = 'CsvFileError';
  }
}

/**
 * Reads CSV text into rows keyed by column name. Spreadsheets in an Indonesian locale save
 * with `;` between cells, so a header line with semicolons and no commas switches the
 * delimiter. Blank lines (also Excel's `,,,,` ones) are skipped; line numbers count them.
 */
export function readCsvTable(text: string, columns: CsvColumns, maxRows: number): CsvTable {
  // One line ending throughout, so the parser never settles on \r\n and then misses a bare \n.
  const normalised = text.replace(/\r\n?/g, '\n');
  const headerLine = normalised.replace(/^\uFEFF/, '').split('\n').find((line) => line.trim() !== '') ?? '';
  const delimiter = headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(normalised, { bom: true, delimiter, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) throw new CsvFileError(error.message.replace(/^[^:]*:\s*/, ''), (error as unknown as { lines?: number }).lines, { cause: error });
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw new CsvFileError('the file is empty: it needs a header row and at least one row');
  const names = readHeader(header.record, columns);
  const rows: CsvRow[] = [];
  for (const { record, info } of body) {
    if (record.every((cell) => cell === '')) continue;
    if (rows.length === maxRows) throw new CsvFileError(`more than ${maxRows} rows: split the file`, info.lines);
    // A column the file leaves out reads as blank cells, so optional columns may be omitted.
    const cells: Record<string, string> = Object.fromEntries(columns.optional.map((name) => [name, '']));
    names.forEach((name, index) => {
      cells[name] = record[index] ?? '';
    });
    // Trailing empty cells are what spreadsheets add; anything else past the header is a misplaced value.
    const extra = record.slice(names.length);
    const shapeErrors = extra.some((cell) => cell !== '') ? [`has ${record.length} cells, the header has ${names.length}`] : [];
    rows.push({ line: info.lines, cells, shapeErrors });
  }
  if (rows.length === 0) throw new CsvFileError('the file has a header row but no rows');
  return { columns: names, rows };
}

function readHeader(cells: string[], columns: CsvColumns): string[] {
  const known = new Map([...columns.required, ...columns.optional].map((name) => [name.toLowerCase(), name]));
  const names: string[] = [];
  for (const cell of cells) {
    const name = known.get(cell.toLowerCase());
    if (!name) throw new CsvFileError(`unknown column "${cell}"; the columns are ${[...known.values()].join(', ')}`, 1);
    if (names.includes(name)) throw new CsvFileError(`column ${name} appears twice`, 1);
    names.push(name);
  }
  const missing = columns.required.filter((name) => !names.includes(name));
  if (missing.length > 0) throw new CsvFileError(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, 1);
  return names;
}
