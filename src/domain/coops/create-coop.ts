import { z } from 'zod';
import { CHANNEL_NAMES } from '../../channels/types.js';
import type { CoopDoc } from '../../db/models/coop.js';
import type { Models } from '../../db/models/index.js';
import { DomainRuleError } from '../errors.js';
import { readStaticQris } from '../payments/qris.js';

const e164 = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be a phone number in international form such as +6281234567890');
const text = (max: number) => z.string().trim().min(1).max(max);

/** What it takes to open a cooperative on the service; everything else has a safe default. */
export const newCoopSchema = z.strictObject({
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by dashes, such as way-halim-permai').min(3).max(60),
  name: text(120),
  kelurahan: text(80),
  kota: text(80),
  timezone: z.enum(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']).default('Asia/Jakarta'),
  whatsapp: z.array(e164).max(5).default([]),
  sms: z.array(e164).max(5).default([]),
  staff: z.array(z.strictObject({ name: text(80), phone: e164, role: text(40).default('pengurus'), channel: z.enum(CHANNEL_NAMES as ['whatsapp', 'sms']).default('whatsapp') })).max(20).default([]),
  pickupAddress: text(200),
  /** Absent: the coop does not deliver. */
  delivery: z.strictObject({ feeRp: z.number().int().min(0).max(1_000_000), area: text(120) }).optional(),
  openingHours: z.strictObject({ days: text(60), open: text(10), close: text(10) }).optional(),
  /** Absent: residents are not offered a bank transfer. */
  bankAccount: z.strictObject({ bank: text(40), accountNumber: text(40), accountName: text(120) }).optional(),
  /** Absent (with no payload either): residents are not offered QRIS. */
  qrisMerchantName: text(60).optional(),
  /** The coop's printed (static) QRIS as text: each QRIS order then gets a code for its exact total. */
  qrisPayload: z
    .string()
    .trim()
    .max(512)
    .superRefine((payload, context) => {
      try {
        readStaticQris(payload);
      } catch (error) {
        if (!(error instanceof DomainRuleError)) throw error;
        context.addIssue({ code: 'custom', message: `is not a valid QRIS: ${String(error.params.reason)}` });
      }
    })
    .optional(),
});
export type NewCoop = z.input<typeof newCoopSchema>;

/**
 * Opens a cooperative: its numbers (each owned by one coop only), staff contacts and
 * settings. Payment options the coop has not set up (transfer, QRIS) stay off.
 */
export async function createCoop(models: Models, input: NewCoop): Promise<CoopDoc> {
  const coop = newCoopSchema.parse(input);
  if (await models.Coop.exists({ $or: [{ _id: coop.slug }, { slug: coop.slug }] })) throw new DomainRuleError('coop_exists', { slug: coop.slug });
  const numbers = [...coop.whatsapp, ...coop.sms];
  const owner = numbers.length > 0 ? await models.Coop.findOne({ $or: [{ 'numbers.whatsapp': { $in: numbers } }, { 'numbers.sms': { $in: numbers } }] }, { slug: 1 }).lean() : null;
  if (owner) throw new DomainRuleError('number_taken', { slug: owner.slug });
  const created = await models.Coop.create({
    _id: coop.slug,
    slug: coop.slug,
    name: coop.name,
    kelurahan: coop.kelurahan,
    kota: coop.kota,
    timezone: coop.timezone,
    numbers: { whatsapp: coop.whatsapp, sms: coop.sms },
    staff: coop.staff,
    settings: {
      pickup: { enabled: true, address: coop.pickupAddress },
      delivery: coop.delivery ? { enabled: true, ...coop.delivery } : { enabled: false, feeRp: 0, area: '' },
      openingHours: coop.openingHours ?? { days: '', open: '', close: '' },
      bankAccount: coop.bankAccount ?? { bank: '', accountNumber: '', accountName: '' },
      qris: {
        enabled: coop.qrisMerchantName !== undefined || coop.qrisPayload !== undefined,
        merchantName: coop.qrisMerchantName ?? (coop.qrisPayload ? readStaticQris(coop.qrisPayload).merchantName : ''),
        ...(coop.qrisPayload ? { payload: coop.qrisPayload } : {}),
      },
      smsFallback: true,
      pinRequiredOn: ['sms'],
      householdLimits: [],
    },
  });
  return created.toObject();
}

/** What a cooperative's manager may change later; numbers stay as opened (providers route by them). */
export const coopChangesSchema = newCoopSchema
  .pick({ name: true, staff: true, pickupAddress: true, openingHours: true, bankAccount: true, qrisMerchantName: true, qrisPayload: true })
  .partial()
  .extend({ delivery: newCoopSchema.shape.delivery.unwrap().nullable().optional() })
  .refine((changes) => Object.keys(changes).length > 0, 'nothing to change');
export type CoopChanges = z.input<typeof coopChangesSchema>;

/** Applies a manager's changes to a cooperative's name, staff contacts and settings. `delivery: null` stops delivery. */
export async function updateCoop(models: Models, coopId: string, input: CoopChanges): Promise<CoopDoc> {
  const changes = coopChangesSchema.parse(input);
  const set: Record<string, unknown> = {};
  if (changes.name) set.name = changes.name;
  if (changes.staff) set.staff = changes.staff;
  if (changes.pickupAddress) set['settings.pickup.address'] = changes.pickupAddress;
  if (changes.delivery === null) set['settings.delivery.enabled'] = false;
  else if (changes.delivery) set['settings.delivery'] = { enabled: true, ...changes.delivery };
  if (changes.openingHours) set['settings.openingHours'] = changes.openingHours;
  if (changes.bankAccount) set['settings.bankAccount'] = changes.bankAccount;
  if (changes.qrisMerchantName) Object.assign(set, { 'settings.qris.merchantName': changes.qrisMerchantName, 'settings.qris.enabled': true });
  if (changes.qrisPayload) {
    Object.assign(set, { 'settings.qris.payload': changes.qrisPayload, 'settings.qris.enabled': true });
    if (!changes.qrisMerchantName) set['settings.qris.merchantName'] = readStaticQris(changes.qrisPayload).merchantName;
  }
  const updated = await models.Coop.findOneAndUpdate({ _id: coopId }, { $set: set }, { returnDocument: 'after', runValidators: true }).lean<CoopDoc>();
  if (!updated) throw new DomainRuleError('coop_not_found');
  return updated;
}
