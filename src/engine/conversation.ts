import { z } from 'zod';
import type { CartLine } from '../domain/cart/cart-line.js';
import type { LanguageCode } from '../i18n/language-code.js';

/** What a session stores about where a conversation is; validated when loaded. */
export interface Conversation {
  flow: string;
  state: string;
  vars: Record<string, unknown>;
  cart: CartLine[];
  language: LanguageCode;
}

export const conversationSchema = z.object({
  flow: z.string().min(1),
  state: z.string().min(1),
  vars: z.record(z.string(), z.unknown()),
  cart: z.array(
    z.object({
      productId: z.string().min(1),
      unit: z.string().min(1),
      quantity: z.number().positive(),
      amountRp: z.number().int().positive().optional(),
    }),
  ),
  language: z.enum(['id', 'en']),
});

/** A conversation with nothing in it, at the home state. */
export function createConversation(home: { flow: string; state: string }, language: LanguageCode): Conversation {
  return { flow: home.flow, state: home.state, vars: {}, cart: [], language };
}
