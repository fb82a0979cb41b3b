import type { Understanding } from '../language/types.js';
import type { Conversation } from './conversation.js';
import type { Facts } from './facts.js';
import type { ReplyMessage } from './reply-message.js';

export interface EngineEvent {
  name: string;
  data?: Record<string, unknown>;
}

/** One input to transition(): a resident's message, or the outcome of an effect. */
export type TransitionInput =
  | { kind: 'message'; text: string; understanding: Understanding; facts: Facts }
  | { kind: 'event'; event: EngineEvent; facts: Facts };

export interface EffectCall {
  action: string;
  params: Record<string, unknown>;
}

export interface TransitionResult {
  conversation: Conversation;
  replies: ReplyMessage[];
  effects: EffectCall[];
  /** False when nothing in the flows matched an event (a flow bug worth logging). */
  matched: boolean;
}

/** What guards, views and pure actions see. `conversation` is the working copy. */
export interface FlowContext {
  conversation: Conversation;
  input: TransitionInput;
  facts: Facts;
}
