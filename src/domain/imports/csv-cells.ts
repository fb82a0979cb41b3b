import { z } from 'zod';

/**
 * Cell schemas for imported CSV files. Cells arrive as trimmed strings; a spreadsheet must
 * save plain numbers (no thousands separators, no "Rp"), since "1.500" means 1500 to an
 * Indonesian and 1.5 to everyone else: rather refuse than guess.
 */

/** Whole rupiah written as digits. */
export function rupiahCell(max: number) {
  return z
    .string()
    .regex(/^\d{1,15}$/, 'must be whole rupiah in digits only, such as 14000')
    .transform(Number)
    .pipe(z.number().max(max, `must be at most ${max}`));
}

/** A blank cell means 0. */
export function optionalRupiahCell(max: number) {
  return z
    .string()
    .transform((value) => (value === '' ? '0' : value))
    .pipe(rupiahCell(max));
}

/** A non-negative quantity such as 12 or 12.5 (a decimal point, not a comma). */
export function quantityCell(max: number) {
  return z
    .string()
    .regex(/^\d{1,12}(\.\d{1,6})?$/, 'must be a number such as 12 or 12.5')
    .transform(Number)
    .pipe(z.number().max(max, `must be at most ${max}`));
}

/** A blank cell means "not given". */
export function optionalCell<Output>(schema: z.ZodType<Output, string>) {
  return z
    .string()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(schema.optional());
}

/** The messages of a failed parse, each naming its column. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`);
}
