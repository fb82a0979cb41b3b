import { z } from 'zod';
import { verifyMemberPin } from '../domain/members/verify-member-pin.js';
import { readBalance } from '../domain/savings/read-balance.js';
import { readPin } from '../engine/match-input.js';
import type { Effect } from './effect-context.js';

const noParams = z.strictObject({});

/** member.checkPin: checks the PIN in the message; five misses lock for 30 minutes. */
export const checkPin: Effect<Record<string, never>> = {
  kind: 'effect',
  emits: ['pin.not_member', 'pin.ok', 'pin.locked', 'pin.wrong'],
  params: noParams,
  async run(context) {
    if (!context.member) return { name: 'pin.not_member' };
    const check = await verifyMemberPin(context.models, context.member._id, readPin(context.text) ?? context.text, context.now);
    if (check.result === 'ok') return { name: 'pin.ok' };
    if (check.result === 'locked') return { name: 'pin.locked', data: { until: { time: check.until } } };
    return { name: 'pin.wrong', data: { left: check.attemptsLeft } };
  },
};

/** savings.load: balances and the latest ledger entries. */
export const loadBalance: Effect<Record<string, never>> = {
  kind: 'effect',
  emits: ['balance.not_member', 'balance.loaded'],
  params: noParams,
  async run(context) {
    if (!context.member) return { name: 'balance.not_member' };
    const balance = await readBalance(context.models, context.coop._id, context.member._id, 3);
    return {
      name: 'balance.loaded',
      data: {
        memberNumber: context.member.memberNumber,
        name: context.member.name,
        pokok: { money: balance.pokokRp },
        wajib: { money: balance.wajibRp },
        sukarela: { money: balance.sukarelaRp },
        total: { money: balance.totalRp },
        recent: {
          list: balance.recent.map((entry) => ({
            key: 'balance:entry',
            params: { at: { time: entry.at }, type: { t: `balance:type.${entry.type}` }, amount: { money: entry.amountRp } },
          })),
        },
      },
    };
  },
};

/** contact.setReminders {enabled}: STOP turns scheduled reminders (simpanan wajib) off for this phone, MULAI on again. */
export const setReminders: Effect<{ enabled: boolean }> = {
  kind: 'effect',
  emits: [],
  params: z.strictObject({ enabled: z.boolean() }),
  async run(context, params) {
    await context.models.Contact.updateOne({ _id: context.contact._id }, { $set: { remindersOptOut: !params.enabled } });
  },
};

/** contact.saveLanguage: remembers the conversation's language on the contact. */
export const saveLanguage: Effect<Record<string, never>> = {
  kind: 'effect',
  emits: [],
  params: noParams,
  async run(context) {
    await context.models.Contact.updateOne({ _id: context.contact._id }, { $set: { language: context.conversation.language } });
  },
};
