/** Shapes shared by the language layer and the chat engine. */

export interface CatalogUnit {
  code: string;
  priceRp: number;
}

export interface CatalogProduct {
  id: string;
  name: string;
  aliases: string[];
  category: string;
  units: CatalogUnit[];
}

export type Intent = 'order' | 'price' | 'balance' | 'status' | 'cancel' | 'help' | 'greeting' | 'unknown';

export type ItemRequest =
  /** `quantityImplied`: no amount was written ("kopinya aja"); one of the first unit is assumed. */
  | { productId: string; unit: string; quantity: number; quantityImplied?: true }
  | { productId: string; amountRp: number };

export type Clarification =
  | { kind: 'ambiguous_product'; text: string; candidates: string[]; quantity?: number; unit?: string; amountRp?: number }
  | { kind: 'unknown_product'; text: string }
  | { kind: 'unit_not_sold'; productId: string; unit: string; quantity: number }
  /** A quantity no shop sells (negative, or a reference-length number before a unit): asked, never guessed. */
  | { kind: 'unclear_quantity'; productId: string; text: string };

export type CartEdit = 'add' | 'remove' | 'reduce' | 'replace';

export interface Reply {
  yes?: true;
  no?: true;
  choice?: number;
}

export interface Understanding {
  intent: Intent;
  /** Resolved items, in message order. */
  items: ItemRequest[];
  /** What the bot must ask about; the parser never guesses silently. */
  clarifications: Clarification[];
  edit?: CartEdit;
  reply?: Reply;
  language?: 'id' | 'en';
  /** No product named, but an amount corrected ("jadi 3 aja", "maksudnya 2 kg"): for the one line in the cart. */
  quantityCorrection?: { value: number; unit?: string };
  /** Consent or refusal, negation first ("iya batalin aja" yes, "jangan, gak jadi batal" no): for confirming an action. */
  confirmation?: 'yes' | 'no';
  /** The message asks something (a question mark, a question word, "bisa … gak"). */
  question?: true;
  /** The whole message was STOP (no more reminders) or MULAI (reminders again). */
  subscription?: 'stop' | 'start';
  normalized: string;
}
