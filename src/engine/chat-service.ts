import { fileURLToPath } from 'node:url';
import type { EffectContext, ProductFlowRegistry } from '../actions/effect-context.js';
import { createFlowRegistry } from '../actions/registry.js';
import type { ChannelName, HandledMessage, InboundMessage, ProviderName } from '../channels/types.js';
import type { CatalogCache } from '../db/catalog-cache.js';
import { createCatalogCache } from '../db/catalog-cache.js';
import type { ConversationLoader, ConversationRecords } from '../db/conversation-loader.js';
import { createConversationLoader } from '../db/conversation-loader.js';
import type { CoopCache } from '../db/coop-cache.js';
import { createCoopCache } from '../db/coop-cache.js';
import { createInboundLog, messageKey, type InboundLog } from '../db/inbound-log.js';
import type { InstanceRegistry } from '../db/instance-registry.js';
import type { ContactDoc } from '../db/models/contact.js';
import type { Models } from '../db/models/index.js';
import { describeSessionKey, readSession, type SessionKey } from '../db/session-store.js';
import { createTurnWriter, type Turn, type TurnWriter } from '../db/turn-writer.js';
import { createContactEnsurer, type ContactEnsurer } from '../domain/contacts/ensure-contact.js';
import { SessionConflictError } from '../domain/errors.js';
import { createOrderPlacer, type OrderPlacer } from '../domain/orders/place-order.js';
import { loadLocales, type Locales } from '../i18n/load-locales.js';
import { understand } from '../language/understand.js';
import { maskPhone, type Logger } from '../logger.js';
import { replyDrafts } from '../outbox/reply-drafts.js';
import { createKeyedMutex } from '../shared/keyed-mutex.js';
import type { StaffChat } from '../staff/staff-chat.js';
import { createConversation, type Conversation } from './conversation.js';
import type { Facts } from './facts.js';
import type { FlowBook } from './flow-book.js';
import { loadFlows } from './load-flows.js';
import type { ReplyMessage } from './reply-message.js';
import { renderReplies } from './render/render-replies.js';
import { transition } from './transition.js';

export interface ChatService {
  /** Full dispatcher path; the replies are stored in the outbox and returned rendered for the message's channel. */
  handle(message: InboundMessage): Promise<HandledMessage>;
  /** Forgets the cached catalogue (after products or prices change), for one coop or all. */
  refreshCatalog(coopId?: string): void;
  /** Renders a locale text for a message the service sends on its own (a notice to staff). */
  renderNotice(reply: ReplyMessage, options: { language: 'id' | 'en'; channel: ChannelName; timeZone?: string }): string;
}

/** The stores the dispatcher works through (each batches the messages in flight). */
export interface DispatcherStores {
  inbound: InboundLog;
  conversations: ConversationLoader;
  turns: TurnWriter;
  contacts: ContactEnsurer;
  orders: OrderPlacer;
  coops: CoopCache;
  catalogs: CatalogCache;
}

export interface ChatServiceDeps {
  models: Models;
  logger: Logger;
  instances: InstanceRegistry;
  /** Built by the caller when it must drain or share them; otherwise built here. */
  stores?: Partial<DispatcherStores>;
  clock?: () => Date;
  flowsDir?: string;
  localesDir?: string;
  /** A turn stored items for this provider's worker to send (wake it instead of waiting for its poll). */
  onOutboxWritten?: (provider: ProviderName) => void;
  /** Staff commands: a staff phone's messages go here, never into the resident flows. */
  staffChat?: StaffChat;
  /** What the flows may name; the product's own unless a test swaps an effect. */
  registry?: ProductFlowRegistry;
}

/** Effects chaining into events more often than this in one message is a flow loop. */
const MAX_EFFECTS_PER_MESSAGE = 10;
/** A save that lost a race is retried (from a fresh load) only when no effect has run yet. */
const MAX_ATTEMPTS = 3;

export const DEFAULT_FLOWS_DIR = fileURLToPath(new URL('../../flows/', import.meta.url));
export const DEFAULT_LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url));

/** Loads and validates flows and locales (throws naming file and line), then returns the dispatcher. */
export async function createChatService(deps: ChatServiceDeps): Promise<ChatService> {
  const clock = deps.clock ?? (() => new Date());
  const locales = await loadLocales(deps.localesDir ?? DEFAULT_LOCALES_DIR);
  const registry = deps.registry ?? createFlowRegistry();
  const book = await loadFlows(deps.flowsDir ?? DEFAULT_FLOWS_DIR, registry, locales.missingIn);
  const { models } = deps;
  const stores: DispatcherStores = {
    inbound: deps.stores?.inbound ?? createInboundLog(models, deps.instances),
    conversations: deps.stores?.conversations ?? createConversationLoader(models),
    turns: deps.stores?.turns ?? createTurnWriter(models),
    contacts: deps.stores?.contacts ?? createContactEnsurer(models),
    orders: deps.stores?.orders ?? createOrderPlacer(models),
    coops: deps.stores?.coops ?? createCoopCache(models),
    catalogs: deps.stores?.catalogs ?? createCatalogCache(models),
  };
  const dispatcher = new Dispatcher(models, stores, deps.logger, clock, locales, registry, book, deps.onOutboxWritten ?? (() => undefined), deps.staffChat);
  return {
    handle: (message) => dispatcher.handle(message),
    refreshCatalog: (coopId) => dispatcher.refreshCatalog(coopId),
    renderNotice: (reply, options) => renderReplies([reply], { i18n: locales.i18n, timeZone: 'Asia/Jakarta', ...options })[0],
  };
}

/** What one turn produced before it is stored. */
interface TurnResult {
  replies: ReplyMessage[];
  conversation: Conversation;
  language: 'id' | 'en';
  timeZone: string;
  effectsRun: number;
}

class Dispatcher {
  private readonly mutex = createKeyedMutex();

  constructor(
    private readonly models: Models,
    private readonly stores: DispatcherStores,
    private readonly logger: Logger,
    private readonly clock: () => Date,
    private readonly locales: Locales,
    private readonly registry: ProductFlowRegistry,
    private readonly book: FlowBook,
    private readonly onOutboxWritten: (provider: ProviderName) => void,
    private readonly staffChat: StaffChat | undefined,
  ) {}

  /** Forgets the cached catalogue and coop settings, so the next message reads them again. */
  refreshCatalog(coopId?: string): void {
    this.stores.catalogs.invalidate(coopId);
    this.stores.coops.invalidate(coopId);
  }

  async handle(message: InboundMessage): Promise<HandledMessage> {
    const log = this.logger.child({ channel: message.channel, provider: message.provider, coopId: message.coopId, caller: maskPhone(message.from), messageId: message.providerMessageId });
    const key: SessionKey = { coopId: message.coopId, phone: message.from, channel: message.channel };
    return this.mutex.run(describeSessionKey(key), async () => {
      // The conversation is read while the claim is written (one wait instead of two): the
      // claim still lands before anything is processed, and a duplicate discards the read.
      const prefetched = this.stores.conversations.load(key);
      prefetched.catch(() => undefined);
      // A failed claim is not answered: the provider's retry (or the caller) tries again.
      const claimId = await this.stores.inbound.claim(message, this.clock());
      if (!claimId) {
        log.info('duplicate delivery dropped');
        return { processed: false, replies: [] };
      }
      let language: 'id' | 'en' = 'id';
      try {
        const staffAnswer = await this.answerStaff(message, claimId);
        if (staffAnswer) return staffAnswer;
        return await this.process(message, key, claimId, log, prefetched, (spoken) => (language = spoken));
      } catch (error) {
        log.error({ err: error }, 'message failed');
        // The resident still gets a polite reply, stored like any other; the claim is closed as failed.
        const texts = renderReplies([{ key: 'common:error' }], { i18n: this.locales.i18n, language, channel: message.channel, timeZone: 'Asia/Jakarta' });
        return this.store(message, { claimId, outcome: 'failed', texts, now: this.clock() });
      }
    });
  }

  private async process(
    message: InboundMessage,
    key: SessionKey,
    claimId: Turn['claimId'],
    log: Logger,
    prefetched: Promise<ConversationRecords>,
    noteLanguage: (language: 'id' | 'en') => void,
  ): Promise<HandledMessage> {
    for (let attempt = 1; ; attempt++) {
      const now = this.clock();
      // A retry follows someone else's save: it must read again.
      const records = attempt === 1 ? await prefetched : await this.stores.conversations.load(key);
      const loaded = readSession(records.session, now, log, this.registry.varsSchema);
      const turn = await this.runTurn(message, records, loaded.conversation, now, log, noteLanguage);
      const texts = renderReplies(turn.replies, { i18n: this.locales.i18n, language: turn.language, channel: message.channel, timeZone: turn.timeZone });
      try {
        return await this.store(message, { claimId, outcome: 'processed', texts, now, session: { key, loaded, conversation: turn.conversation, messageId: message.providerMessageId } });
      } catch (error) {
        if (!(error instanceof SessionConflictError)) throw error;
        if (turn.effectsRun === 0 && attempt < MAX_ATTEMPTS) {
          log.warn({ attempt }, 'session changed elsewhere, retrying');
          continue;
        }
        if (turn.effectsRun === 0) throw error;
        // Effects are committed (an order may exist): tell the resident what happened rather than
        // ask them to resend; only the conversation position written by the other process stays.
        log.error({ effectsRun: turn.effectsRun }, 'session changed elsewhere after effects ran; conversation state not saved');
        return this.store(message, { claimId, outcome: 'processed', texts, now });
      }
    }
  }

  /** A staff member's message is a command: answered in Indonesian, no conversation kept. */
  private async answerStaff(message: InboundMessage, claimId: Turn['claimId']): Promise<HandledMessage | undefined> {
    if (!this.staffChat) return undefined;
    const now = this.clock();
    const coop = await this.stores.coops.get(message.coopId, now);
    if (!coop || !this.staffChat.isStaff(coop, message.from)) return undefined;
    const replies = await this.staffChat.handle({ coop, phone: message.from, text: message.text, now, messageKey: messageKey(message) });
    const texts = renderReplies(replies, { i18n: this.locales.i18n, language: 'id', channel: message.channel, timeZone: coop.timezone });
    return this.store(message, { claimId, outcome: 'processed', texts, now });
  }

  /** Understands the message and runs the flow and its effects; nothing of the conversation is stored yet. */
  private async runTurn(
    message: InboundMessage,
    records: ConversationRecords,
    stored: Conversation | undefined,
    now: Date,
    log: Logger,
    noteLanguage: (language: 'id' | 'en') => void,
  ): Promise<TurnResult> {
    const coop = await this.stores.coops.get(message.coopId, now);
    if (!coop) throw new Error(`Unknown coop ${message.coopId}`);
    const contact = await this.stores.contacts.ensure(coop._id, message.from, now, records.contact);
    noteLanguage(contact.language);
    const member = records.member ?? undefined;
    const catalog = await this.stores.catalogs.get(coop._id, now);
    let conversation: Conversation = stored ?? createConversation(this.book.home, contact.language);
    let facts: Facts = {
      now,
      channel: message.channel,
      coop: { id: coop._id, name: coop.name, timezone: coop.timezone, settings: coop.settings },
      catalog,
      contact: { ...(contact.name ? { name: contact.name } : {}), ...(contact.lastAddress ? { lastAddress: contact.lastAddress } : {}) },
      ...(member ? { member: { memberNumber: member.memberNumber, name: member.name, sukarelaRp: member.balances.sukarelaRp, pinLockedUntil: member.pinLockedUntil ?? null } } : {}),
    };
    const understanding = understand(message.text, catalog.index);
    log.debug({ intent: understanding.intent, items: understanding.items.length, state: `${conversation.flow}.${conversation.state}` }, 'understood');

    const first = transition(this.book, conversation, { kind: 'message', text: message.text, understanding, facts });
    const replies: ReplyMessage[] = [...first.replies];
    conversation = first.conversation;
    const queue = [...first.effects];
    let effectsRun = 0;
    while (queue.length > 0) {
      if (effectsRun >= MAX_EFFECTS_PER_MESSAGE) throw new Error('Too many effects for one message: check the flows for a loop');
      const call = queue.shift()!;
      const action = this.registry.actions[call.action];
      if (action?.kind !== 'effect') throw new Error(`Effect ${call.action} is not registered`);
      effectsRun++;
      let catalogStale = false;
      const context: EffectContext = {
        models: this.models,
        orders: this.stores.orders,
        logger: log,
        conversation,
        facts,
        coop,
        contact: contact as ContactDoc,
        member,
        phone: message.from,
        channel: message.channel,
        now,
        text: message.text,
        messageKey: messageKey(message),
        refreshCatalog: () => (catalogStale = true),
      };
      const event = await action.run(context, call.params);
      if (catalogStale) {
        this.stores.catalogs.invalidate(coop._id);
        facts = { ...facts, catalog: await this.stores.catalogs.get(coop._id, now) };
      }
      log.debug({ effect: call.action, event: event?.name }, 'effect ran');
      if (!event) continue;
      if (!action.emits.includes(event.name)) log.error({ effect: call.action, event: event.name }, 'effect emitted an event it does not declare');
      const next = transition(this.book, conversation, { kind: 'event', event, facts });
      if (!next.matched) {
        // The flow loader checks declared outcomes; an undeclared one must still get the resident a reply.
        log.error({ effect: call.action, event: event.name, state: `${conversation.flow}.${conversation.state}` }, 'no flow transition for event; the resident gets the polite error');
        replies.push({ key: 'common:error', params: {} });
        conversation = { ...conversation, flow: this.book.home.flow, state: this.book.home.state };
        continue;
      }
      replies.push(...next.replies);
      conversation = next.conversation;
      queue.push(...next.effects);
    }
    noteLanguage(conversation.language);
    return { replies, conversation, language: conversation.language, timeZone: coop.timezone, effectsRun };
  }

  /** Stores the turn (conversation, replies as outbox items, the claim's outcome) in one write. */
  private async store(
    message: InboundMessage,
    turn: Omit<Turn, 'replies'> & { texts: string[] },
  ): Promise<HandledMessage> {
    const { texts, ...stored } = turn;
    const drafts = replyDrafts(message, texts, turn.now, messageKey(message));
    const ids = await this.stores.turns.commit({ ...stored, replies: drafts });
    // Held items (a Twilio reply waiting for its TwiML answer) are found by the worker's poll when due.
    if (drafts.some((draft) => draft.status === 'pending' && draft.nextAttemptAt <= turn.now)) this.onOutboxWritten(message.provider);
    return { processed: true, replies: ids.map((outboxId, index) => ({ outboxId, text: texts[index] })) };
  }
}
