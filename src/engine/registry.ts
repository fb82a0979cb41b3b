import type { z } from 'zod';
import type { Facts } from './facts.js';
import type { ReplyMessage, ReplyParams } from './reply-message.js';
import type { EngineEvent, FlowContext } from './transition-types.js';

/** Runs inside transition(): must be pure (edits the working copy, may return replies). */
export interface PureAction<P = Record<string, unknown>> {
  kind: 'pure';
  params: z.ZodType<P>;
  run(context: FlowContext, params: P): ReplyMessage[] | void;
}

/**
 * Runs after transition(), in the dispatcher; its outcome comes back as an event. The engine
 * core never looks inside the context: the dispatcher builds it (see actions/effect-context.ts).
 */
export interface EffectAction<P = Record<string, unknown>, C = unknown> {
  kind: 'effect';
  params: z.ZodType<P>;
  /** Every event name `run` can return: the flow loader checks each is handled where the effect runs. */
  emits: readonly string[];
  run(context: C, params: P): Promise<EngineEvent | void>;
}

export type AnyAction<C = unknown> = PureAction<any> | EffectAction<any, C>;
export type Guard = (context: FlowContext) => boolean;
export type View = (context: FlowContext) => ReplyParams;

/** Everything a flow file may name; the loader refuses names that are not here. */
export interface FlowRegistry<C = unknown> {
  actions: Record<string, AnyAction<C>>;
  guards: Record<string, Guard>;
  views: Record<string, View>;
  /** Keys that TypeScript code renders directly (list items, errors); checked like flow keys. */
  codeLocaleKeys: string[];
  /** The shape of session `vars`, checked when a session is loaded (an unreadable one starts fresh). */
  varsSchema?: z.ZodType<Record<string, unknown>>;
}
