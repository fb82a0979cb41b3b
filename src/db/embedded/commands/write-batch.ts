import type { Document } from 'bson';
import { badValue, ErrorCode, toCommandError } from '../errors.js';

/**
 * MongoDB's write-batch rules for insert, update and delete: a statement's error becomes a
 * writeError with its index; an ordered batch stops at the first one, an unordered batch
 * goes on. In a transaction a WriteConflict fails the whole command so the driver can retry.
 */
export function runWriteBatch(statements: unknown, ordered: boolean, runStatement: (statement: Document, index: number) => void): Document[] {
  if (!Array.isArray(statements) || statements.length === 0) throw badValue('Write batch sizes must be between 1 and 100000');
  const writeErrors: Document[] = [];
  for (let index = 0; index < statements.length; index++) {
    try {
      runStatement(statements[index] as Document, index);
    } catch (error) {
      const failure = toCommandError(error);
      if (failure.code === ErrorCode.WriteConflict) throw failure;
      writeErrors.push(failure.toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors;
}
