import { z } from 'zod';

const intentSchema = z.enum(['order', 'price', 'balance', 'status', 'cancel', 'help', 'greeting', 'unknown']);
const nameSchema = z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, 'use lower camel or snake case');

/** Conditions on the input; every key given must hold. */
export const matchSchema = z.strictObject({
  intent: z.union([intentSchema, z.array(intentSchema).min(1)]).optional(),
  /** The message names catalogue items (or products that need a question). */
  items: z.literal(true).optional(),
  edit: z.enum(['add', 'remove', 'reduce', 'replace']).optional(),
  /** A numbered answer; `any` for lists whose length is only known at run time. */
  choice: z.union([z.number().int().positive(), z.literal('any')]).optional(),
  yes: z.literal(true).optional(),
  no: z.literal(true).optional(),
  /** The resident asked to switch language. */
  language: z.literal(true).optional(),
  /** No product named, but an amount corrected ("jadi 3 aja"). */
  quantityCorrection: z.literal(true).optional(),
  /** Consent or refusal to confirm an action, negation first. */
  confirmation: z.enum(['yes', 'no']).optional(),
  /** The message asks something. */
  question: z.literal(true).optional(),
  /** A question about the shop: the delivery fee, the opening hours, how to pay. */
  asks: z.enum(['delivery_fee', 'opening_hours', 'payment_options', 'bank_account', 'cancellation', 'total']).optional(),
  /** Asks to change a checkout answer without giving the new one ("ganti alamat"). */
  changeRequest: z.enum(['address', 'payment', 'fulfilment']).optional(),
  /** The whole message was STOP or MULAI (reminders off or on). */
  subscription: z.enum(['stop', 'start']).optional(),
  /** Whole words or phrases found in the normalised text. */
  words: z.array(z.string().min(1)).min(1).optional(),
  /** 4 to 6 digits and nothing else. */
  pin: z.literal(true).optional(),
  /** Any non-empty text. */
  text: z.literal(true).optional(),
  /** An effect's outcome. */
  event: z.string().min(1).optional(),
});
export type MatchSpec = z.infer<typeof matchSchema>;

export const actionRefSchema = z.union([
  z.string().min(1),
  z.strictObject({ action: z.string().min(1), params: z.record(z.string(), z.unknown()).optional() }),
]);

export const replyRefSchema = z.union([
  z.string().min(1),
  z.strictObject({
    key: z.string().min(1),
    view: z.string().min(1).optional(),
    guard: z.string().min(1).optional(),
    join: z.boolean().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }),
]);

const transitionFields = {
  guard: z.string().min(1).optional(),
  do: z.array(actionRefSchema).optional(),
  reply: z.array(replyRefSchema).optional(),
  /** `state` in this flow or `flow.state`. */
  target: z.string().min(1).optional(),
  /** Run the target's entry even when it is the current state. */
  reenter: z.boolean().optional(),
  /** Without a target: say the open question of the state the conversation stays in again (its `ask`). */
  reask: z.boolean().optional(),
};

export const matchedTransitionSchema = z.strictObject({
  match: z.union([matchSchema, z.array(matchSchema).min(1)]),
  ...transitionFields,
});
export const plainTransitionSchema = z.strictObject(transitionFields);

export const stateSchema = z.strictObject({
  entry: z.strictObject({ do: z.array(actionRefSchema).optional(), reply: z.array(replyRefSchema).optional() }).optional(),
  on: z.array(matchedTransitionSchema).optional(),
  /** Checked right after entry, first passing guard wins (routing states). */
  always: z.array(plainTransitionSchema).optional(),
  /** A message nothing else matched while in this state. */
  otherwise: plainTransitionSchema.optional(),
  /** The state's open question in short form, said again after a question answered elsewhere (`reask`). */
  ask: z.array(replyRefSchema).optional(),
});

export const flowFileSchema = z.strictObject({
  id: nameSchema,
  initial: z.string().min(1),
  /** Apply in every state of this flow, after the state's own transitions. */
  common: z.array(matchedTransitionSchema).optional(),
  /** Apply in every state of every flow, after the flow's common transitions. */
  global: z.array(matchedTransitionSchema).optional(),
  /** Where conversations start and return; exactly one flow file sets it. */
  home: z.string().min(1).optional(),
  /** What to do with a message nothing matched; exactly one flow file sets it. */
  fallback: plainTransitionSchema.optional(),
  states: z.record(nameSchema, stateSchema),
});
export type FlowFile = z.infer<typeof flowFileSchema>;
