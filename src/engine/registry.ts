import type { z } from 'zod';
import type { ChannelName } from '../channels/types.js';
import type { ContactDoc } from '../db/models/contact.js';
import type { CoopDoc } from '../db/models/coop.js';
import type { Models } from '../db/models/index.js';
import type { MemberDoc } from '../db/models/member.js';
import type { Logger } from '../logger.js';
import type { Conversation } from './conversation.js';
import type { Facts } from './facts.js';
import type { ReplyMessage, ReplyParams } from './reply-message.js';
import type { EngineEvent, FlowContext } from './transition-types.js';

/** Runs inside transition(): must be pure (edits the working copy, may return replies). */
export interface PureAction<P = Record<string, unknown>> {
  kind: 'pure';
  params: z.ZodType<P>;
  run(context: FlowContext, params: P): ReplyMessage[] | void;
}

export interface EffectContext {
  models: Models;
  logger: Logger;
  conversation: Conversation;
  facts: Facts;
  coop: CoopDoc;
  contact: ContactDoc;
  member?: MemberDoc;
  phone: string;
  channel: ChannelName;
  now: Date;
  /** The text of the message being handled (a PIN check reads it; it is never stored). */
  text: string;
  /** Marks the cached catalogue stale; the next transition in this message sees fresh prices. */
  refreshCatalog(): void;
}

/** Runs after transition(), in the dispatcher; its outcome comes back as an event. */
export interface EffectAction<P = Record<string, unknown>> {
  kind: 'effect';
  params: z.ZodType<P>;
  run(context: EffectContext, params: P): Promise<EngineEvent | void>;
}

export type AnyAction = PureAction<any> | EffectAction<any>;
export type Guard = (context: FlowContext) => boolean;
export type View = (context: FlowContext) => ReplyParams;

/** Everything a flow file may name; the loader refuses names that are not here. */
export interface FlowRegistry {
  actions: Record<string, AnyAction>;
  guards: Record<string, Guard>;
  views: Record<string, View>;
  /** Keys that TypeScript code renders directly (list items, errors); checked like flow keys. */
  codeLocaleKeys: string[];
}
