import { Aggregator as BaseAggregator } from 'mingo/aggregator';
import { Context } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query as BaseQuery } from 'mingo/query';
import { BSON_QUERY_OPERATORS } from './bson-query-operators.js';

/*
 * mingo with MongoDB's BSON semantics where they differ from mingo's own (see
 * bson-query-operators.ts). mingo's package entry merges a caller's operators under its
 * defaults, so the defaults would win; this context is built whole instead.
 */
const BSON_CONTEXT = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: { ...queryOperators, ...BSON_QUERY_OPERATORS },
  window: windowOperators,
} as never);

type QueryOptions = ConstructorParameters<typeof BaseQuery>[1];
type AggregatorOptions = ConstructorParameters<typeof BaseAggregator>[1];

/** A mingo query that reads `$type`, `$bits…` and DBRef fields as MongoDB does. */
export class Query extends BaseQuery {
  constructor(condition: Record<string, unknown>, options?: QueryOptions) {
    super(condition, { ...options, context: BSON_CONTEXT });
  }
}

/** A mingo aggregation whose `$match` stages read types as MongoDB does. */
export class Aggregator extends BaseAggregator {
  constructor(pipeline: Record<string, unknown>[], options?: AggregatorOptions) {
    super(pipeline, { ...options, context: BSON_CONTEXT });
  }
}
