import type { ProductDoc } from '../db/models/product.js';
import type { SessionDoc } from '../db/models/session.js';
import { deleteExpiredSessions } from '../db/session-store.js';
import type { ReplyMessage } from '../engine/reply-message.js';
import { draftNoticeItem } from '../outbox/notice-item.js';
import type { Job, JobContext } from './job.js';

/** Every 15 minutes: a cart lapses two hours after its last message, give or take fifteen minutes. */
export const EXPIRE_CARTS_SCHEDULE = '*/15 * * * *';
/** Lapsed carts told about per run; the rest wait for the next run. */
const BATCH = 200;

/**
 * Forgets conversations idle past their expiry. A resident who left goods in the cart is told
 * it was emptied (so a later "ya" is not taken for a confirmation they think is pending); the
 * note and the deletion are one transaction, and a message that arrived meanwhile (a new
 * session version) keeps the conversation. Resolves how many conversations were forgotten.
 */
export function createExpireCartsJob(): Job {
  return {
    name: 'expire-carts',
    schedule: EXPIRE_CARTS_SCHEDULE,
    async run(context) {
      const { models, now } = context;
      const withCarts = await models.Session.find({ expiresAt: { $lte: now }, 'cart.0': { $exists: true } })
        .limit(BATCH)
        .lean<SessionDoc[]>();
      let removed = 0;
      for (const session of withCarts) removed += await forgetWithNote(context, session);
      removed += await deleteExpiredSessions(models, now);
      if (removed > 0) context.logger.info({ removed }, 'expired conversations swept');
      return removed;
    },
  };
}

async function forgetWithNote(context: JobContext, session: SessionDoc): Promise<number> {
  const { models, now } = context;
  const ids = [...new Set(session.cart.map((line) => line.productId))];
  const names = new Map((await models.Product.find({ coopId: session.coopId, productId: { $in: ids } }, { productId: 1, name: 1 }).lean<ProductDoc[]>()).map((product) => [product.productId, product.name]));
  const lines: ReplyMessage[] = session.cart.map((line) => ({ key: 'order:cart_item_short', params: { name: names.get(line.productId) ?? line.productId, qty: { qty: line.quantity }, unit: line.unit } }));
  const message: ReplyMessage = { key: 'order:cart_expired', params: { items: { list: lines, inline: true } } };
  const note = await draftNoticeItem(context.drafting, session.coopId, { to: session.phone, channel: session.channel, language: session.language }, [message], now, `cart-expired:${String(session._id)}:${session.version}`);
  const forgotten = await models.connection.transaction(async (transaction) => {
    const { deletedCount } = await models.Session.deleteOne({ _id: session._id, version: session.version, expiresAt: { $lte: now } }, { session: transaction });
    if (deletedCount === 0) return 0;
    await models.OutboxItem.collection.insertOne(note, { session: transaction });
    return 1;
  });
  if (forgotten > 0 && note.status === 'pending') context.wake(note.provider);
  return forgotten;
}
