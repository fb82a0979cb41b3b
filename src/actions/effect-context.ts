import type { ChannelName } from '../channels/types.js';
import type { ContactDoc } from '../db/models/contact.js';
import type { CoopDoc } from '../db/models/coop.js';
import type { Models } from '../db/models/index.js';
import type { MemberDoc } from '../db/models/member.js';
import type { OrderPlacer } from '../domain/orders/place-order.js';
import type { Conversation } from '../engine/conversation.js';
import type { Facts } from '../engine/facts.js';
import type { EffectAction, FlowRegistry } from '../engine/registry.js';
import type { Logger } from '../logger.js';

/** What an effect may use: the records of the conversation, the database, and the message that caused it. */
export interface EffectContext {
  models: Models;
  orders: OrderPlacer;
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
  /** The message's dedupe key within its coop: money and stock moves carry it, so a redelivery never repeats them. */
  messageKey: string;
  /** Marks the cached catalogue stale; the next transition in this message sees fresh prices. */
  refreshCatalog(): void;
}

export type Effect<P> = EffectAction<P, EffectContext>;
export type ProductFlowRegistry = FlowRegistry<EffectContext>;
