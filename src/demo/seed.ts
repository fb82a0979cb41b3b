import { Types } from 'mongoose';
import type { Models } from '../db/models/index.js';
import { hashPin } from '../domain/members/pin-hash.js';
import { postSavingsEntry } from '../domain/savings/post-savings-entry.js';
import { demoCatalog } from './catalog.js';
import { demoContacts, demoCoop, demoMembers, demoStock } from './coop.js';

/**
 * Seeds the demo cooperative, catalogue, members (with their ledgers) and contacts, but
 * only when the database holds no cooperative at all. Running it again changes nothing.
 */
export async function seedDemoData(models: Models): Promise<{ seeded: boolean; coopId: string }> {
  const existing = await models.Coop.findOne({}, { _id: 1 }).lean();
  if (existing) return { seeded: false, coopId: existing._id };
  const coopId = demoCoop._id;
  await models.Coop.create(structuredClone(demoCoop));
  await models.Product.insertMany(
    demoCatalog.map((product) => {
      const stock = demoStock[product.id] ?? { stockUnit: product.units[0].code, stock: 0 };
      return {
        coopId,
        productId: product.id,
        name: product.name,
        aliases: product.aliases,
        category: product.category,
        units: product.units.map((unit) => ({ ...unit, stockFactor: unit.code === stock.stockUnit ? 1 : (stock.factors?.[unit.code] ?? 1) })),
        stockUnit: stock.stockUnit,
        stock: stock.stock,
        active: true,
      };
    }),
  );
  for (const member of demoMembers) {
    const created = await models.Member.create({
      _id: new Types.ObjectId(),
      coopId,
      memberNumber: member.memberNumber,
      name: member.name,
      phone: member.phone,
      pinHash: await hashPin(member.pin),
      status: 'active',
      joinedAt: new Date(member.joinedAt),
    });
    await models.Contact.create({ coopId, phone: member.phone, name: member.name, language: 'id' });
    // Balances come only from ledger entries, each moving the cached balance with it.
    for (const entry of member.ledger) {
      await postSavingsEntry(models, { coopId, memberId: created._id, type: entry.type, amountRp: entry.amountRp, note: entry.note, at: new Date(entry.at), by: { kind: 'staff', ref: 'seed' } });
    }
  }
  for (const contact of demoContacts) await models.Contact.create({ coopId, ...contact });
  return { seeded: true, coopId };
}
