/**
 * Opens a cooperative in the configured database (MONGODB_URI, or the embedded one while
 * the service is stopped) and prints its first manager token, once.
 *
 *   npm run coop:create -- --slug kedaton --name "KDMP Kelurahan Kedaton" --kelurahan Kedaton \
 *     --kota "Bandar Lampung" --pickup-address "Jl. Teuku Umar No. 1" --whatsapp 0812... \
 *     --staff "Sari:0812...:whatsapp" [--sms 0812...] [--delivery-fee 5000 --delivery-area Kedaton] \
 *     [--bank BRI --account-number ... --account-name ...] [--qris-merchant "KDMP KEDATON"] \
 *     [--qris-payload "000201010211…"] [--days Senin-Sabtu --open 07.00 --close 20.00]
 */
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { normalizePhone } from '../src/channels/phone.js';
import { loadConfig } from '../src/config/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { ensureIndexes, getModels } from '../src/db/models/index.js';
import { createCoop, type NewCoop } from '../src/domain/coops/create-coop.js';
import { DomainRuleError } from '../src/domain/errors.js';
import { issueStaffToken } from '../src/domain/staff/staff-tokens.js';
import { createLogger } from '../src/logger.js';

const { values } = parseArgs({
  options: {
    slug: { type: 'string' },
    name: { type: 'string' },
    kelurahan: { type: 'string' },
    kota: { type: 'string' },
    timezone: { type: 'string' },
    whatsapp: { type: 'string', multiple: true },
    sms: { type: 'string', multiple: true },
    staff: { type: 'string', multiple: true },
    'pickup-address': { type: 'string' },
    'delivery-fee': { type: 'string' },
    'delivery-area': { type: 'string' },
    bank: { type: 'string' },
    'account-number': { type: 'string' },
    'account-name': { type: 'string' },
    'qris-merchant': { type: 'string' },
    'qris-payload': { type: 'string' },
    days: { type: 'string' },
    open: { type: 'string' },
    close: { type: 'string' },
  },
});

/** The flag each field comes from, to name it in an error. */
const FLAG_OF: Record<string, string> = {
  pickupAddress: 'pickup-address',
  qrisPayload: 'qris-payload',
  qrisMerchantName: 'qris-merchant',
  bankAccount: 'bank / --account-number / --account-name',
  delivery: 'delivery-fee / --delivery-area',
  openingHours: 'days / --open / --close',
};

/** A phone as typed (0812…, 62812…, +62 812…) in international form; a bad one is kept so validation names it. */
const phone = (raw: string) => normalizePhone(raw) ?? raw;

function staffMember(spec: string): NonNullable<NewCoop['staff']>[number] {
  const [name, number, channel] = spec.split(':').map((part) => part.trim());
  return { name: name ?? '', phone: phone(number ?? ''), ...(channel ? { channel: channel as 'whatsapp' | 'sms' } : {}) };
}

const input: NewCoop = {
  slug: values.slug ?? '',
  name: values.name ?? '',
  kelurahan: values.kelurahan ?? '',
  kota: values.kota ?? '',
  pickupAddress: values['pickup-address'] ?? '',
  ...(values.timezone ? { timezone: values.timezone as 'Asia/Jakarta' } : {}),
  whatsapp: (values.whatsapp ?? []).map(phone),
  sms: (values.sms ?? []).map(phone),
  staff: (values.staff ?? []).map(staffMember),
  ...(values['delivery-fee'] ? { delivery: { feeRp: Number(values['delivery-fee']), area: values['delivery-area'] ?? '' } } : {}),
  ...(values.bank || values['account-number'] ? { bankAccount: { bank: values.bank ?? '', accountNumber: values['account-number'] ?? '', accountName: values['account-name'] ?? '' } } : {}),
  ...(values['qris-merchant'] ? { qrisMerchantName: values['qris-merchant'] } : {}),
  ...(values['qris-payload'] ? { qrisPayload: values['qris-payload'] } : {}),
  ...(values.days || values.open ? { openingHours: { days: values.days ?? '', open: values.open ?? '', close: values.close ?? '' } } : {}),
};

const config = loadConfig();
const logger = createLogger({ level: 'warn', pretty: false });
const database = await connectDatabase(config, logger);
try {
  const models = getModels(database.connection);
  await ensureIndexes(models);
  const coop = await createCoop(models, input);
  const { token } = await issueStaffToken(models, { coopId: coop._id, role: 'manager', label: 'pengurus (coop:create)', createdBy: 'coop:create', now: new Date() });
  console.log(`Cooperative "${coop.name}" created (slug ${coop.slug}).`);
  console.log(`First manager token (shown once; keep it safe, revoke with DELETE /admin/api/tokens/:id):\n  ${token}`);
} catch (error) {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = String(issue.path[0] ?? 'input');
    console.error(`coop:create: --${FLAG_OF[field] ?? field}${issue.path.length > 1 ? ` (${issue.path.slice(1).join('.')})` : ''}: ${issue.message}`);
  } else if (error instanceof DomainRuleError) {
    console.error(`coop:create: ${error.code === 'coop_exists' ? `a cooperative with slug ${input.slug} exists` : `a number already belongs to ${String(error.params.slug)}`}`);
  } else {
    console.error(`coop:create failed: ${(error as Error).message}`);
  }
  process.exitCode = 1;
} finally {
  await database.close();
}
