import { fileURLToPath } from 'node:url';
import { createFlowRegistry } from '../actions/registry.js';
import type { InboundMessage } from '../channels/types.js';
import type { Models } from '../db/models/index.js';
import type { ContactDoc } from '../db/models/contact.js';
import { ensureContact } from '../domain/contacts/ensure-contact.js';
import { SessionConflictError } from '../domain/errors.js';
import { loadLocales, type Locales } from '../i18n/load-locales.js';
import { understand } from '../language/understand.js';
import { maskPhone, type Logger } from '../logger.js';
import { createCatalogCache } from './catalog-cache.js';
import { createCoopCache } from './coop-cache.js';
import { createInboundLog, type InboundLog } from './inbound-log.js';
import { createConversation, type Conversation } from './conversation.js';
import type { Facts } from './facts.js';
import type { FlowBook } from './flow-book.js';
import { createKeyedMutex } from '../shared/keyed-mutex.js';
import { loadFlows } from './load-flows.js';
import type { EffectContext, FlowRegistry } from './registry.js';
import type { ReplyMessage } from './reply-message.js';
import { renderReplies } from './render/render-replies.js';
import { createConversationLoader, type ConversationLoader, type ConversationRecords } from './conversation-loader.js';
import { deleteExpiredSessions, describeSessionKey, readSession, type SessionKey } from './session-store.js';
import { createSessionWriter, type SessionWriter } from './session-writer.js';
import { transition } from './transition.js';

export interface ChatService {
  /** Full dispatcher path; returns the rendered replies for the message's channel. */
  handle(message: InboundMessage): Promise<string[]>;
  /** Deletes conversations idle past their expiry; returns how many. */
  sweepExpiredSessions(now?: Date): Promise<number>;
  /** Forgets the cached catalogue (after products or prices change), for one coop or all. */
  refreshCatalog(coopId?: string): void;
}

export interface ChatServiceDeps {
  models: Models;
  logger: Logger;
  clock?: () => Date;
  flowsDir?: string;
  localesDir?: string;
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
  const registry = createFlowRegistry();
  const book = await loadFlows(deps.flowsDir ?? DEFAULT_FLOWS_DIR, registry, locales.missingIn);
  const dispatcher = new Dispatcher(deps.models, deps.logger, clock, locales, registry, book);
  return {
    handle: (message) => dispatcher.handle(message),
    sweepExpiredSessions: (now) => deleteExpiredSessions(deps.models, now ?? clock()),
    refreshCatalog: (coopId) => dispatcher.refreshCatalog(coopId),
  };
}

class Dispatcher {
  private readonly mutex = createKeyedMutex();
  private readonly catalogs;
  private readonly coops;
  private readonly inbound: InboundLog;
  private readonly loader: ConversationLoader;
  private readonly sessions: SessionWriter;

  constructor(
    private readonly models: Models,
    private readonly logger: Logger,
    private readonly clock: () => Date,
    private readonly locales: Locales,
    private readonly registry: FlowRegistry,
    private readonly book: FlowBook,
  ) {
    this.catalogs = createCatalogCache(models);
    this.coops = createCoopCache(models);
    this.inbound = createInboundLog(models, logger);
    // Messages in flight share their reads and writes (see shared/batcher.ts).
    this.loader = createConversationLoader(models);
    this.sessions = createSessionWriter(models);
  }

  /** Forgets the cached catalogue and coop settings, so the next message reads them again. */
  refreshCatalog(coopId?: string): void {
    this.catalogs.invalidate(coopId);
    this.coops.invalidate(coopId);
  }

  async handle(message: InboundMessage): Promise<string[]> {
    const log = this.logger.child({ channel: message.channel, coopId: message.coopId, caller: maskPhone(message.from), messageId: message.providerMessageId });
    const key: SessionKey = { coopId: message.coopId, phone: message.from, channel: message.channel };
    return this.mutex.run(describeSessionKey(key), async () => {
      // The conversation is read while the claim is written (one wait instead of two): the
      // claim still lands before anything is processed, and a duplicate discards the read.
      const prefetched = this.loader.load(key);
      prefetched.catch(() => undefined);
      try {
        if (!(await this.inbound.claim(message, this.clock()))) {
          log.info('duplicate delivery dropped');
          return [];
        }
      } catch (error) {
        log.error({ err: error }, 'could not record inbound message');
        return this.apologise(message, 'id');
      }
      let language: 'id' | 'en' = 'id';
      try {
        const outcome = await this.process(message, key, log, (spoken) => (language = spoken), prefetched);
        // Not awaited: the session save already recorded the message id (see inbound-log.ts).
        void this.inbound.markProcessed(message);
        return outcome;
      } catch (error) {
        log.error({ err: error }, 'message failed');
        await this.inbound.markFailed(message).catch((markError: unknown) => log.warn({ err: markError }, 'could not mark inbound message failed'));
        return this.apologise(message, language);
      }
    });
  }

  private async process(
    message: InboundMessage,
    key: SessionKey,
    log: Logger,
    noteLanguage: (language: 'id' | 'en') => void,
    prefetched: Promise<ConversationRecords>,
  ): Promise<string[]> {
    for (let attempt = 1; ; attempt++) {
      const now = this.clock();
      const coop = await this.coops.get(message.coopId, now);
      if (!coop) throw new Error(`Unknown coop ${message.coopId}`);
      // A retry follows someone else's save: it must read again.
      const records = attempt === 1 ? await prefetched : await this.loader.load(key);
      const contact = await ensureContact(this.models, coop._id, message.from, now, records.contact);
      noteLanguage(contact.language);
      const member = records.member ?? undefined;
      const catalog = await this.catalogs.get(coop._id, now);
      const loaded = readSession(records.session, now, log);
      let conversation: Conversation = loaded.conversation ?? createConversation(this.book.home, contact.language);
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
          refreshCatalog: () => (catalogStale = true),
        };
        const event = await action.run(context, call.params);
        if (catalogStale) {
          this.catalogs.invalidate(coop._id);
          facts = { ...facts, catalog: await this.catalogs.get(coop._id, now) };
        }
        log.debug({ effect: call.action, event: event?.name }, 'effect ran');
        if (!event) continue;
        const next = transition(this.book, conversation, { kind: 'event', event, facts });
        if (!next.matched) log.warn({ event: event.name, state: `${conversation.flow}.${conversation.state}` }, 'no flow transition for event');
        replies.push(...next.replies);
        conversation = next.conversation;
        queue.push(...next.effects);
      }
      try {
        await this.sessions.save({ key, loaded, conversation, now, messageId: message.providerMessageId });
      } catch (error) {
        if (error instanceof SessionConflictError && effectsRun === 0 && attempt < MAX_ATTEMPTS) {
          log.warn({ attempt }, 'session changed elsewhere, retrying');
          continue;
        }
        if (error instanceof SessionConflictError && effectsRun > 0) {
          // Effects are committed (an order may exist): tell the resident what happened rather than
          // ask them to resend; only the conversation position written by the other process stays.
          log.error({ effectsRun }, 'session changed elsewhere after effects ran; conversation state not saved');
          // The session does not name this message, so the log must, before anyone could redeliver it.
          await this.inbound.markProcessed(message);
        } else {
          throw error;
        }
      }
      noteLanguage(conversation.language);
      return renderReplies(replies, { i18n: this.locales.i18n, language: conversation.language, channel: message.channel, timeZone: coop.timezone });
    }
  }

  private apologise(message: InboundMessage, language: 'id' | 'en'): string[] {
    return renderReplies([{ key: 'common:error' }], { i18n: this.locales.i18n, language, channel: message.channel, timeZone: 'Asia/Jakarta' });
  }
}
