import { Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import { normalizePhone } from '../channels/phone.js';
import type { Models } from '../db/models/index.js';
import type { MemberDoc } from '../db/models/member.js';
import { SAVINGS_TYPES, type SavingsEntryDoc } from '../db/models/savings-entry.js';
import { DomainRuleError } from '../domain/errors.js';
import { createMember } from '../domain/members/create-member.js';
import { hashPin } from '../domain/members/pin-hash.js';
import { recordSavings } from '../domain/savings/record-savings.js';
import { HttpError } from '../http/errors.js';
import { answerRefusal } from './answer-refusal.js';
import { parseInput } from '../http/parse-input.js';
import { principalOf, requireCoopAccess, requireOneCoop, requirePermission, scopeCoop } from './admin-principal.js';
import { describePrincipal } from './tokens-router.js';
import { nextCursor } from './next-cursor.js';

const pin = z.string().regex(/^\d{4,6}$/, 'must be 4 to 6 digits');
const phone = z.string().max(40).transform((value, context) => {
  const e164 = normalizePhone(value);
  if (!e164) context.addIssue({ code: 'custom', message: 'must be a phone number such as +6281200000002' });
  return e164 ?? '';
});

const listQuery = z.strictObject({
  coop: z.string().max(100).optional(),
  /** Part of a name, a member number or a phone number. */
  q: z.string().trim().max(60).optional(),
  status: z.enum(['active', 'inactive', 'suspended']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().refine((value) => Types.ObjectId.isValid(value), 'must be a member id').optional(),
});
const createBody = z.strictObject({
  coop: z.string().max(100).optional(),
  memberNumber: z.string().regex(/^KDMP-\d{4,}$/, 'must look like KDMP-0001').optional(),
  name: z.string().trim().min(1).max(100),
  phone,
  pin: pin.optional(),
  joinedAt: z.iso.date().optional(),
});
const patchBody = z
  .strictObject({ name: z.string().trim().min(1).max(100).optional(), phone: phone.optional(), status: z.enum(['active', 'inactive', 'suspended']).optional(), pin: pin.optional() })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');
const savingsBody = z.strictObject({
  type: z.enum(SAVINGS_TYPES as ['pokok', 'wajib', 'sukarela']),
  kind: z.enum(['deposit', 'withdrawal']),
  amountRp: z.number().int('must be whole rupiah').min(1).max(1_000_000_000),
  note: z.string().trim().max(200).default(''),
});

/**
 * Members and their savings: GET/POST /admin/api/members, GET/PATCH /admin/api/members/:id,
 * POST /admin/api/members/:id/savings (a deposit or withdrawal, one ledger entry; an
 * `Idempotency-Key` header makes a repeated submit post nothing more).
 */
export function createMembersRouter(models: Models, clock: () => Date): Router {
  const router = Router();
  router.get('/members', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'members:read');
    const query = parseInput(listQuery, req.query, 'invalid_query');
    const filter: Record<string, unknown> = {};
    const coopId = await scopeCoop(models, principal, query.coop);
    if (coopId) filter.coopId = coopId;
    if (query.status) filter.status = query.status;
    if (query.before) filter._id = { $lt: new Types.ObjectId(query.before) };
    if (query.q) {
      const pattern = new RegExp(query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      const digits = query.q.replace(/\D/g, '');
      filter.$or = [{ name: pattern }, { memberNumber: pattern }, ...(digits.length >= 4 ? [{ phone: new RegExp(digits) }] : [])];
    }
    const members = await models.Member.find(filter).sort({ _id: -1 }).limit(query.limit).lean<MemberDoc[]>();
    res.json({ members: members.map(presentMember), next: nextCursor(members, query.limit) });
  });

  router.post('/members', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'members:manage');
    const body = parseInput(createBody, req.body ?? {}, 'invalid_body');
    const coopId = await requireOneCoop(models, principal, body.coop);
    const member = await answerRefusal(() =>
      createMember(models, { coopId, name: body.name, phone: body.phone, joinedAt: body.joinedAt ? new Date(`${body.joinedAt}T00:00:00+07:00`) : clock(), ...(body.memberNumber ? { memberNumber: body.memberNumber } : {}), ...(body.pin ? { pin: body.pin } : {}) }),
      describeRefusal,
    );
    res.status(201).json({ member: presentMember(member) });
  });

  router.get('/members/:id', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'members:read');
    const member = await findMember(String(req.params.id));
    requireCoopAccess(principal, member.coopId);
    const entries = await models.SavingsEntry.find({ coopId: member.coopId, memberId: member._id }).sort({ at: -1, _id: -1 }).limit(50).lean<SavingsEntryDoc[]>();
    res.json({ member: presentMember(member), ledger: entries.map(presentEntry) });
  });

  router.patch('/members/:id', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'members:manage');
    const body = parseInput(patchBody, req.body ?? {}, 'invalid_body');
    const member = await findMember(String(req.params.id));
    requireCoopAccess(principal, member.coopId);
    const set: Record<string, unknown> = {};
    if (body.name) set.name = body.name;
    if (body.phone) set.phone = body.phone;
    if (body.status) set.status = body.status;
    // A new PIN also lifts a lockout: staff reset it after checking the member in person.
    if (body.pin) Object.assign(set, { pinHash: await hashPin(body.pin), failedPinCount: 0, pinLockedUntil: null });
    const updated = await answerRefusal(async () => {
      try {
        return await models.Member.findOneAndUpdate({ _id: member._id }, { $set: set }, { returnDocument: 'after', runValidators: true }).lean<MemberDoc>();
      } catch (error) {
        if ((error as { code?: number }).code === 11000) throw new DomainRuleError('phone_taken');
        throw error;
      }
    }, describeRefusal);
    res.json({ member: presentMember(updated!) });
  });

  router.post('/members/:id/savings', async (req, res) => {
    const principal = principalOf(res);
    const body = parseInput(savingsBody, req.body ?? {}, 'invalid_body');
    requirePermission(principal, body.kind === 'deposit' ? 'savings:deposit' : 'savings:withdraw');
    const member = await findMember(String(req.params.id));
    requireCoopAccess(principal, member.coopId);
    const requestKey = req.get('idempotency-key');
    if (requestKey !== undefined && !/^[\w-]{8,100}$/.test(requestKey)) throw new HttpError(400, 'invalid_header', 'Idempotency-Key: 8 to 100 letters, digits, - or _');
    const { entry, member: after } = await answerRefusal(() =>
      recordSavings(models, { coopId: member.coopId, memberId: member._id, type: body.type, kind: body.kind, amountRp: body.amountRp, note: body.note, by: describePrincipal(principal), now: clock(), ...(requestKey ? { requestKey: `${member.coopId}:${requestKey}` } : {}) }),
      describeRefusal,
    );
    res.status(201).json({ entry: presentEntry(entry), member: presentMember(after) });
  });

  async function findMember(id: string): Promise<MemberDoc> {
    if (!Types.ObjectId.isValid(id)) throw new HttpError(400, 'invalid_id', 'id: must be a member id');
    const member = await models.Member.findById(id).lean<MemberDoc>();
    if (!member) throw new HttpError(404, 'not_found', 'No such member');
    return member;
  }
  return router;
}

function describeRefusal(error: DomainRuleError): string {
  switch (error.code) {
    case 'insufficient_balance':
      return `The ${String(error.params.type)} balance does not cover this withdrawal`;
    case 'not_withdrawable':
      return `Simpanan ${String(error.params.type)} can be withdrawn only when the member leaves (status inactive)`;
    case 'phone_taken':
      return 'Another member of this cooperative has this phone number';
    case 'member_number_taken':
      return 'This member number is taken';
    case 'request_key_reused':
      return 'This Idempotency-Key was used for a different entry';
    default:
      return error.code;
  }
}

function presentMember(member: MemberDoc) {
  return {
    id: String(member._id),
    coopId: member.coopId,
    memberNumber: member.memberNumber,
    name: member.name,
    phone: member.phone,
    status: member.status,
    hasPin: Boolean(member.pinHash),
    balances: member.balances,
    joinedAt: member.joinedAt ?? null,
  };
}

function presentEntry(entry: SavingsEntryDoc) {
  return { id: String(entry._id), memberNumber: entry.memberNumber, type: entry.type, amountRp: entry.amountRp, note: entry.note, at: entry.at, by: entry.by.ref, orderNumber: entry.orderNumber ?? null };
}
