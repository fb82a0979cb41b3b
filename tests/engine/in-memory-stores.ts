import { Types } from 'mongoose';
import type { InboundMessage } from '../../src/channels/types.js';
import type { CatalogCache } from '../../src/db/catalog-cache.js';
import type { ConversationLoader } from '../../src/db/conversation-loader.js';
import type { CoopCache } from '../../src/db/coop-cache.js';
import type { InboundLog } from '../../src/db/inbound-log.js';
import type { ContactDoc } from '../../src/db/models/contact.js';
import type { CoopDoc } from '../../src/db/models/coop.js';
import type { MemberDoc } from '../../src/db/models/member.js';
import type { OrderDoc } from '../../src/db/models/order.js';
import type { OutboxItemDoc } from '../../src/db/models/outbox-item.js';
import type { SessionDoc } from '../../src/db/models/session.js';
import { sessionWrite, type SessionKey } from '../../src/db/session-store.js';
import type { Turn, TurnWriter } from '../../src/db/turn-writer.js';
import { demoCatalog } from '../../src/demo/catalog.js';
import { demoContacts, demoCoop } from '../../src/demo/coop.js';
import type { ContactEnsurer } from '../../src/domain/contacts/ensure-contact.js';
import { DomainRuleError, SessionConflictError } from '../../src/domain/errors.js';
import type { OrderPlacer } from '../../src/domain/orders/place-order.js';
import type { PlaceOrderInput } from '../../src/domain/orders/place-order-input.js';
import type { DispatcherStores } from '../../src/engine/chat-service.js';
import type { Facts } from '../../src/engine/facts.js';
import { createCatalog } from '../../src/language/catalog.js';
import type { CatalogProduct } from '../../src/language/types.js';

/** An inbound claim as the fake log keeps it (the real one is an InboundMessageDoc). */
interface StoredClaim {
  _id: Types.ObjectId;
  message: InboundMessage;
  status: 'received' | 'processed' | 'failed';
  claimedAt: Date;
}

/**
 * Test hooks: each runs inside the store call, before it does anything, so a test can hold a
 * call (a gate), simulate another process writing in between, or make the call fail.
 */
interface StoreHooks {
  beforeLoad?: (key: SessionKey) => Promise<void> | void;
  beforeCommit?: (turn: Turn) => Promise<void> | void;
}

/** What the fakes hold, readable by tests the way the collections would be. */
export interface InMemoryState {
  claims: Map<string, StoredClaim>;
  sessions: Map<string, SessionDoc>;
  contacts: Map<string, ContactDoc>;
  members: Map<string, MemberDoc>;
  outbox: OutboxItemDoc[];
  orders: OrderDoc[];
  /** Every call the order store received, in order (refused ones too). */
  placeInputs: PlaceOrderInput[];
  /** What the stores were asked to do, in order ('load <phone>', 'commit <messageId>', …). */
  journal: string[];
  hooks: StoreHooks;
}

export type InMemoryStores = DispatcherStores & { state: InMemoryState };

const FIRST_ORDER_NUMBER = 1001;

const sessionKeyOf = (key: SessionKey) => `${key.coopId}\u0000${key.channel}\u0000${key.phone}`;
const contactKeyOf = (coopId: string, phone: string) => `${coopId}\u0000${phone}`;
const claimKeyOf = (message: InboundMessage) => [message.coopId, message.channel, message.from, message.providerMessageId].join('\u0000');

/** A copy as a fresh read from a database would give: the caller cannot change what is stored. */
function copySession(doc: SessionDoc): SessionDoc {
  return { ...doc, vars: structuredClone(doc.vars), cart: doc.cart.map((line) => ({ ...line })), ...(doc.recentMessageIds ? { recentMessageIds: [...doc.recentMessageIds] } : {}) };
}

/** The demo catalogue as src/db/catalog-cache.ts builds it from the product documents. */
function buildDemoCatalog(): Facts['catalog'] {
  const products: CatalogProduct[] = demoCatalog.map((product) => ({
    id: product.id,
    name: product.name,
    aliases: product.aliases,
    category: product.category,
    units: product.units.map(({ code, priceRp }) => ({ code, priceRp })),
  }));
  return { products, index: createCatalog(products) };
}

/**
 * The dispatcher's stores on plain Maps: the demo coop and catalogue, the demo residents who
 * are not members as contacts, no members unless a test adds them.
 */
export function createInMemoryStores(): InMemoryStores {
  const state: InMemoryState = {
    claims: new Map(),
    sessions: new Map(),
    contacts: new Map(),
    members: new Map(),
    outbox: [],
    orders: [],
    placeInputs: [],
    journal: [],
    hooks: {},
  };
  for (const contact of demoContacts) {
    state.contacts.set(contactKeyOf(demoCoop._id, contact.phone), { _id: new Types.ObjectId(), coopId: demoCoop._id, ...contact });
  }

  // Dedupes on coop + channel + sender + provider id, like the unique index of the real log.
  const inbound: InboundLog = {
    async claim(message, now) {
      state.journal.push(`claim ${message.providerMessageId}`);
      const key = claimKeyOf(message);
      if (state.claims.has(key)) return undefined;
      const claim: StoredClaim = { _id: new Types.ObjectId(), message, status: 'received', claimedAt: now };
      state.claims.set(key, claim);
      return claim._id;
    },
  };

  const conversations: ConversationLoader = {
    async load(key) {
      state.journal.push(`load ${key.phone}`);
      await state.hooks.beforeLoad?.(key);
      const session = state.sessions.get(sessionKeyOf(key));
      const contact = state.contacts.get(contactKeyOf(key.coopId, key.phone));
      const member = state.members.get(contactKeyOf(key.coopId, key.phone));
      return {
        contact: contact ? { ...contact } : null,
        member: member && member.status === 'active' ? { ...member } : null,
        session: session ? copySession(session) : null,
      };
    },
  };

  // All or nothing, like the real transaction: a missed version guard writes nothing at all.
  const turns: TurnWriter = {
    async commit(turn) {
      state.journal.push(`commit ${turn.claimId.toHexString()}`);
      await state.hooks.beforeCommit?.(turn);
      const claim = [...state.claims.values()].find((candidate) => candidate._id.equals(turn.claimId));
      if (!claim) throw new Error(`No inbound claim ${turn.claimId.toHexString()}`);
      let saved: SessionDoc | undefined;
      if (turn.session) {
        const { key, loaded, conversation, messageId } = turn.session;
        const current = state.sessions.get(sessionKeyOf(key));
        // The same write the real writer makes, applied to the Map instead of a collection.
        const write = sessionWrite(key, loaded, conversation, turn.now, messageId);
        if (write.kind === 'update') {
          if (!current || !current._id.equals(write.filter._id) || current.version !== write.filter.version) throw new SessionConflictError(`${key.coopId}:${key.channel}:${key.phone}`);
          saved = { ...current, ...write.update.$set, version: current.version + 1 };
        } else {
          // The unique index on coop, phone and channel: someone else created it first.
          if (current) throw new SessionConflictError(`${key.coopId}:${key.channel}:${key.phone}`);
          saved = write.document;
        }
        state.sessions.set(sessionKeyOf(key), copySession(saved));
      }
      const items = turn.replies.map((draft) => ({ _id: new Types.ObjectId(), attempts: 0, ...draft, createdAt: turn.now, updatedAt: turn.now }));
      state.outbox.push(...items);
      claim.status = turn.outcome;
      return items.map((item) => item._id.toHexString());
    },
  };

  const contacts: ContactEnsurer = {
    async ensure(coopId, phone, now, known) {
      const key = contactKeyOf(coopId, phone);
      const existing = known !== undefined ? known : (state.contacts.get(key) ?? null);
      const contact: ContactDoc = existing ? { ...existing, lastSeenAt: now } : { _id: new Types.ObjectId(), coopId, phone, language: 'id', lastSeenAt: now };
      state.contacts.set(key, contact);
      return { ...contact };
    },
  };

  // Prices at the demo catalogue's prices; a repeated sourceMessageKey returns the first order.
  const orders: OrderPlacer = {
    async place(input) {
      state.placeInputs.push({ ...input, lines: input.lines.map((line) => ({ ...line })), fulfilment: { ...input.fulfilment } });
      if (input.lines.length === 0) throw new DomainRuleError('empty_cart');
      const placedBefore = input.sourceMessageKey ? state.orders.find((order) => order.coopId === input.coopId && order.sourceMessageKey === input.sourceMessageKey) : undefined;
      if (placedBefore) return placedBefore;
      const items = input.lines.map((line) => {
        const product = demoCatalog.find((candidate) => candidate.id === line.productId);
        const unit = product?.units.find((candidate) => candidate.code === line.unit);
        if (!product || !unit) throw new DomainRuleError('product_unavailable', { productId: line.productId });
        const lineTotalRp = line.amountRp ?? Math.round(unit.priceRp * line.quantity);
        return { productId: product.id, name: product.name, unit: unit.code, quantity: line.quantity, unitPriceRp: unit.priceRp, lineTotalRp };
      });
      const subtotalRp = items.reduce((sum, item) => sum + item.lineTotalRp, 0);
      const deliveryFeeRp = input.fulfilment.method === 'delivery' ? demoCoop.settings.delivery.feeRp : 0;
      const order: OrderDoc = {
        _id: new Types.ObjectId(),
        coopId: input.coopId,
        number: FIRST_ORDER_NUMBER + state.orders.filter((placed) => placed.coopId === input.coopId).length,
        contactId: input.contactId,
        phone: input.phone,
        ...(input.memberId ? { memberId: input.memberId } : {}),
        items,
        subtotalRp,
        deliveryFeeRp,
        totalRp: subtotalRp + deliveryFeeRp,
        fulfilment: input.fulfilment,
        payment: { method: input.payment, status: 'pending' },
        status: 'new',
        history: [{ status: 'new', at: input.now, by: 'resident', ...(input.sourceMessageKey ? { sourceMessageKey: input.sourceMessageKey } : {}) }],
        channel: input.channel,
        ...(input.sourceMessageKey ? { sourceMessageKey: input.sourceMessageKey } : {}),
        placedAt: input.now,
      };
      if (input.expectedTotalRp !== undefined && input.expectedTotalRp !== order.totalRp) throw new DomainRuleError('prices_changed', { totalRp: order.totalRp });
      state.orders.push(order);
      return order;
    },
  };

  const coopDocs = new Map<string, CoopDoc>([[demoCoop._id, structuredClone(demoCoop)]]);
  const coops: CoopCache = {
    async get(coopId) {
      const coop = coopDocs.get(coopId);
      return coop ? structuredClone(coop) : null;
    },
    invalidate: () => undefined,
  };

  const demoCatalogFacts = buildDemoCatalog();
  const catalogs: CatalogCache = {
    // Another coop has no products, as the real cache finds none for it.
    async get(coopId) {
      return coopId === demoCoop._id ? demoCatalogFacts : { products: [], index: createCatalog([]) };
    },
    invalidate: () => undefined,
  };

  return { inbound, conversations, turns, contacts, orders, coops, catalogs, state };
}
