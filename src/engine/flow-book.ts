import type { AnyAction, Guard, View } from './registry.js';
import type { MatchSpec } from './flow-schema.js';

export interface StateRef {
  flow: string;
  state: string;
}

export interface CompiledGuard {
  name: string;
  negate: boolean;
  test: Guard;
}

export interface CompiledAction {
  name: string;
  action: AnyAction;
  params: Record<string, unknown>;
}

export interface CompiledReply {
  key: string;
  view?: View;
  guard?: CompiledGuard;
  join: boolean;
  params: Record<string, string | number>;
}

export interface CompiledTransition {
  /** Alternatives: the transition applies when any of them matches. */
  match: MatchSpec[];
  guard?: CompiledGuard;
  do: CompiledAction[];
  reply: CompiledReply[];
  target?: StateRef;
  reenter: boolean;
  /** Ask the current state's question again after the replies ("ongkirnya berapa?" mid-checkout). */
  reask: boolean;
  /** file:line, for logs. */
  source: string;
}

export interface CompiledState {
  ref: StateRef;
  entry: { do: CompiledAction[]; reply: CompiledReply[] };
  on: CompiledTransition[];
  always: CompiledTransition[];
  otherwise?: CompiledTransition;
  /** The open question in short form, for transitions that `reask`. */
  ask: CompiledReply[];
}

export interface CompiledFlow {
  id: string;
  initial: string;
  states: Map<string, CompiledState>;
  common: CompiledTransition[];
}

/** All flows, compiled and cross-checked; what transition() runs on. */
export interface FlowBook {
  flows: Map<string, CompiledFlow>;
  global: CompiledTransition[];
  fallback: CompiledTransition;
  home: StateRef;
}

export function findState(book: FlowBook, ref: StateRef): CompiledState | undefined {
  return book.flows.get(ref.flow)?.states.get(ref.state);
}
