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

export type CartEdit = 'add' | 'remove' | 'reduce' | 'replace';

/** How an item changes the cart, read from the words around it (see detect-item-edits). */
export interface ItemMarks {
  /** The nearest edit word before the item ("tambah", "kurangi", "hapus", "ganti"); "…nya ga jadi" removes. */
  edit?: CartEdit;
  /** The amount given is the one meant, not one more ("gulanya jadi 2 kg", "galonnya 2 aja"). */
  exact?: true;
  /** The cart line of this product is the one this item replaces ("bukan kecap, maksudnya skm"). */
  replaces?: string;
  /** Named only as the line being replaced: not an item of its own. */
  dropped?: true;
  /** Said as a correction ("eh salah, bawang putih maksudnya"): it replaces the line of its family in the cart. */
  corrects?: true;
  /** Named by the word several products share ("beras"): "berasnya 5 kg aja" may mean the rice already in the cart. */
  generic?: true;
}

export type ItemRequest = (
  /**
   * `quantityImplied`: no amount was written ("kopinya aja"); one of the first unit is assumed.
   * `unitAssumed`: a bare number ("kopinya jadi 2", "telor 10"); the unit is the one a bare count is read in.
   */
  | { productId: string; unit: string; quantity: number; quantityImplied?: true; unitAssumed?: true }
  | { productId: string; amountRp: number }
) & Omit<ItemMarks, 'dropped'>;

export type Clarification =
  | { kind: 'ambiguous_product'; text: string; candidates: string[]; quantity?: number; unit?: string; amountRp?: number }
  | { kind: 'unknown_product'; text: string }
  | { kind: 'unit_not_sold'; productId: string; unit: string; quantity: number }
  /** A quantity no shop sells (negative, or a reference-length number before a unit): asked, never guessed. */
  | { kind: 'unclear_quantity'; productId: string; text: string };


export interface Reply {
  yes?: true;
  no?: true;
  choice?: number;
}

export type FulfilmentAnswer = 'pickup' | 'delivery';
export type PaymentAnswer = 'cod' | 'transfer' | 'qris' | 'simpanan';

/** Checkout answers a message gives, asked for or not. */
export interface CheckoutAnswers {
  fulfilment?: FulfilmentAnswer;
  /** The delivery address as the resident wrote it, cut from the message. */
  address?: string;
  payment?: PaymentAnswer;
  /** When the goods are wanted, as written ("besok jam 10 pagi"). */
  when?: string;
  /** A number to reach the resident on, in local form ("081377712345"). */
  contactPhone?: string;
}

/** A question about the shop, not a product: answered, then the conversation goes on. */
export type AskedTopic = 'delivery_fee' | 'opening_hours' | 'payment_options' | 'bank_account' | 'cancellation' | 'total';

export interface Understanding extends CheckoutAnswers {
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
  /** What a question about the shop asks: the delivery fee, the opening hours, how to pay. */
  asks?: AskedTopic;
  /** No product named, only an amount ("2 kg", "mau 2 papan"): for the product the conversation asked about. */
  amount?: { value: number; unit?: string; amountRp?: number };
  /** Products named, and besides them an amount none of them took ("oke 2 liter ya, sama gula 1 kg"). */
  looseAmount?: { value: number; unit?: string; amountRp?: number };
  /** Asks to change a checkout answer without giving the new one ("ganti alamat", "ubah pembayaran"). */
  changeRequest?: 'address' | 'payment' | 'fulfilment';
  /** Goods named that a shop could sell but this catalogue lacks ("rokok", "sabun"), as written. */
  unsoldGoods?: string[];
  /** Points back at what was just talked about ("pesan itu", "yang tadi aja"). */
  reference?: true;
  /** Street, house-number or landmark words, and not a short yes or no: the text reads as an address. */
  readsAsAddress?: true;
  /** Points at an order already placed ("batalkan pesanan yang tadi", "batal 1021"), not the cart being built. */
  refersToPlacedOrder?: true;
  /** An order number written in the message ("batal 1001", "#1021"). */
  orderNumber?: number;
  /** Goods a cancel or status message names to say which placed order ("yang pesanan beras tadi batalin"). */
  orderGoods?: string[];
  /** An order that also asks about the member's savings ("saldo saya cukup kan?"): answered beside the cart. */
  asksBalance?: true;
  /** The whole message was STOP (no more reminders) or MULAI (reminders again). */
  subscription?: 'stop' | 'start';
  normalized: string;
}
