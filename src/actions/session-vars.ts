import { z } from 'zod';

const cartEdit = z.enum(['add', 'remove', 'reduce', 'replace']);

/** An ambiguous product waiting for the resident's answer. */
export const pendingChoiceSchema = z.object({
  text: z.string(),
  candidates: z.array(z.string().min(1)).min(1),
  edit: cartEdit,
  quantity: z.number().optional(),
  unit: z.string().optional(),
  amountRp: z.number().int().positive().optional(),
});

/**
 * What a conversation remembers between messages (session `vars`). Checked when a session is
 * loaded, so a stored value of the wrong shape starts the conversation fresh instead of
 * surprising a guard, and by `vars.set`, so a flow cannot store a value nobody reads.
 */
export const sessionVarsSchema = z.object({
  fulfilment: z.enum(['pickup', 'delivery']).optional(),
  address: z.string().min(1).max(300).optional(),
  payment: z.enum(['cod', 'transfer', 'qris', 'simpanan']).optional(),
  /** When the goods are wanted, as the resident wrote it. */
  when: z.string().min(1).max(100).optional(),
  /** A number to reach the resident on ("no hp 0813…"), in local form. */
  contactPhone: z.string().regex(/^0\d{9,12}$/).optional(),
  /** Questions about ambiguous products, oldest first. */
  pending: z.array(pendingChoiceSchema).optional(),
  browseCategory: z.string().optional(),
  browseProduct: z.string().optional(),
  /** The product of the last price question ("telor sepapan brp?"), for "mau 2 papan" next. */
  pricedProduct: z.string().optional(),
  /** The amount that price question named ("gula 2 kg berapa?"), for "oke pesan itu" next. */
  pricedAmount: z.object({ unit: z.string().min(1), quantity: z.number().positive() }).optional(),
  /** The last message that put goods in the cart, and when: the same text again at once is a double send. */
  lastItemsMessage: z.object({ text: z.string(), at: z.number() }).optional(),
  /** The product just added without an amount ("beras"), for "5 kg" sent next on its own. */
  impliedLine: z.string().min(1).optional(),
  /** The total the summary showed: "ya" places the order only at it. */
  quotedTotalRp: z.number().int().nonnegative().optional(),
  /** How many times pickup or delivery was asked: how to change the cart is said the first time only. */
  fulfilmentAsks: z.number().int().nonnegative().optional(),
  /** The order number "batal 1001" named, for finding that order rather than the latest. */
  askedOrderNumber: z.number().int().positive().optional(),
  /** The goods "yg kopi barusan batalin" named, for finding the order that holds them. */
  askedOrderGoods: z.array(z.string().min(1)).optional(),
  /** The order this conversation placed last, and when: "kirim jam 10 ya" right after it is about that order. */
  lastPlaced: z.object({ number: z.number().int().positive(), at: z.number() }).optional(),
  /** The order "batal" asked to cancel, while the resident confirms. */
  cancelNumber: z.number().int().positive().optional(),
});
export type SessionVars = z.infer<typeof sessionVarsSchema>;

/** The order this conversation placed last, when the vars hold one. */
export function lastPlacedOrder(vars: Record<string, unknown>): { number: number; at: number } | undefined {
  const parsed = sessionVarsSchema.shape.lastPlaced.safeParse(vars.lastPlaced);
  return parsed.success ? parsed.data : undefined;
}
