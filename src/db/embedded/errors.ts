import type { Document } from 'bson';

/** MongoDB error codes the embedded server answers with, and their code names. */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  Unauthorized: 13,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  CannotBackfillArray: 34,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  EmptyFieldName: 56,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  NotImplemented: 238,
  TransactionTooOld: 225,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  OperationNotSupportedInTransaction: 263,
  BSONObjectTooLarge: 10334,
  DuplicateKey: 11000,
  MergeStageNoMatchingDocument: 13113,
  Location15975: 15975,
  Location15976: 15976,
  Location17419: 17419,
  Location31275: 31275,
  Location40323: 40323,
  Location40324: 40324,
  Location40601: 40601,
} as const;

const CODE_NAMES = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));

/** An error shaped the way MongoDB reports a failed command. */
export class MongoCommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly errorLabels: string[];
  /** Extra top-level reply fields, e.g. keyPattern and keyValue for 11000. */
  readonly extra: Document;

  constructor(code: number, message: string, options: { labels?: string[]; extra?: Document; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'MongoCommandError';
    this.code = code;
    this.codeName = CODE_NAMES.get(code) ?? 'UnknownError';
    this.errorLabels = options.labels ?? [];
    this.extra = options.extra ?? {};
  }

  /** The reply document for a command that failed as a whole. */
  toReply(): Document {
    const reply: Document = { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
    if (this.errorLabels.length > 0) reply.errorLabels = this.errorLabels;
    return reply;
  }

  /** The entry for `writeErrors` when one statement of a write command fails. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export function notImplemented(what: string): MongoCommandError {
  return new MongoCommandError(ErrorCode.NotImplemented, `${what} is not implemented by the embedded server`);
}

export function badValue(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCode.BadValue, message);
}

export function writeConflict(): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.WriteConflict,
    'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
    { labels: ['TransientTransactionError'] },
  );
}

/** Real MongoDB operators mingo lacks: asking for them is NotImplemented, not a bad query. */
const MISSING_MONGO_OPERATORS = new Set([
  '$text', '$near', '$nearSphere', '$geoWithin', '$geoIntersects', '$where', '$jsonSchema', '$function', '$accumulator',
  '$meta', '$search', '$searchMeta', '$vectorSearch',
]);

/** Turns anything thrown while running a command into a MongoDB-shaped error. */
export function toCommandError(error: unknown): MongoCommandError {
  if (error instanceof MongoCommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const operator = /(\$[A-Za-z]+)/.exec(message)?.[1];
  if (operator && MISSING_MONGO_OPERATORS.has(operator)) {
    return new MongoCommandError(ErrorCode.NotImplemented, `${operator} is not implemented by the embedded server`, { cause: error });
  }
  // mingo's "unknown query operator $foo" is MongoDB's BadValue "unknown operator: $foo".
  return new MongoCommandError(ErrorCode.BadValue, message, { cause: error });
}
