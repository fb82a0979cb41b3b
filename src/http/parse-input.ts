import type { z } from 'zod';
import { HttpError } from './errors.js';

/** Validates a request part with zod; a failure is a 400 naming the first bad field. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, code: 'invalid_body' | 'invalid_query'): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new HttpError(400, code, `${issue.path.join('.') || (code === 'invalid_query' ? 'query' : 'body')}: ${issue.message}`);
}
