import { priceCart } from './catalog-lookup.js';
import { z } from 'zod';
import { sessionVarsSchema, type SessionVars } from './session-vars.js';
import type { PureAction } from '../engine/registry.js';
import { listCategories, productsInCategory } from './catalog-lookup.js';

const noParams = z.strictObject({});

function choiceOf(context: Parameters<PureAction['run']>[0]): number | undefined {
  return context.input.kind === 'message' ? context.input.understanding.reply?.choice : undefined;
}

/** vars.set: stores fixed answers such as `fulfilment: pickup` (names and values as the session vars schema allows). */
export const setVars: PureAction<SessionVars> = {
  kind: 'pure',
  params: sessionVarsSchema.strict().refine((value) => Object.keys(value).length > 0, 'name at least one variable'),
  run(context, params) {
    Object.assign(context.conversation.vars, params);
  },
};

/**
 * order.quote: remembers the total the summary shows, so "ya" places the order only at that
 * total (a price changed in between is shown again, never charged silently).
 */
export const quoteTotal: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: z.strictObject({}),
  run(context) {
    context.conversation.vars.quotedTotalRp = priceCart(context.conversation.cart, context.facts, context.conversation.vars.fulfilment).totalRp;
  },
};

/** vars.count {name}: adds one to a counter (how often something was asked). */
export const countVar: PureAction<{ name: keyof SessionVars }> = {
  kind: 'pure',
  params: z.strictObject({ name: z.enum(['fulfilmentAsks']) }),
  run(context, params) {
    const current = context.conversation.vars[params.name];
    context.conversation.vars[params.name] = (typeof current === 'number' ? current : 0) + 1;
  },
};

/**
 * cancel.rememberNumber: the order number the message named ("batal 1001"), the goods it named
 * ("yg kopi barusan batalin"), or neither (the latest order).
 */
export const rememberOrderNumber: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    const { vars } = context.conversation;
    const understanding = context.input.kind === 'message' ? context.input.understanding : undefined;
    const number = understanding?.orderNumber;
    if (number === undefined) delete vars.askedOrderNumber;
    else vars.askedOrderNumber = number;
    const goods = understanding?.orderGoods ?? (understanding?.intent === 'order' ? [...new Set(understanding.items.map((item) => item.productId))] : []);
    if (goods.length === 0) delete vars.askedOrderGoods;
    else vars.askedOrderGoods = goods;
  },
};

/** order.rememberPlaced: the order just placed (the order.placed event's number), and when. */
export const rememberPlacedOrder: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    const number = context.input.kind === 'event' ? context.input.event.data?.number : undefined;
    if (typeof number === 'number') context.conversation.vars.lastPlaced = { number, at: context.facts.now.getTime() };
  },
};

/** vars.unset: forgets answers. */
export const unsetVars: PureAction<{ names: string[] }> = {
  kind: 'pure',
  params: z.strictObject({ names: z.array(sessionVarsSchema.keyof()).min(1) }),
  run(context, params) {
    for (const name of params.names) delete context.conversation.vars[name];
  },
};

/** vars.fromEvent: copies fields of an effect's outcome into vars (e.g. the order to cancel). */
export const copyEventVars: PureAction<{ fields: string[] }> = {
  kind: 'pure',
  params: z.strictObject({ fields: z.array(sessionVarsSchema.keyof()).min(1) }),
  run(context, params) {
    if (context.input.kind !== 'event') return;
    for (const field of params.fields) context.conversation.vars[field] = context.input.event.data?.[field];
  },
};

/** browse.pickCategory: remembers the numbered category. */
export const pickCategory: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    const choice = choiceOf(context);
    const category = choice ? listCategories(context.facts)[choice - 1] : undefined;
    if (category) context.conversation.vars.browseCategory = category;
  },
};

/** browse.pickProduct: remembers the numbered product of the chosen category. */
export const pickProduct: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    const choice = choiceOf(context);
    const category = context.conversation.vars.browseCategory as string | undefined;
    const product = choice && category ? productsInCategory(context.facts, category)[choice - 1] : undefined;
    if (product) context.conversation.vars.browseProduct = product.id;
  },
};

/** order.setAddress: the delivery address as typed. */
export const setAddress: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    if (context.input.kind !== 'message') return;
    context.conversation.vars.fulfilment = 'delivery';
    // The address the language layer cut out ("dianter ke Jl. Melati 3 ya" -> "Jl. Melati 3"), else the whole text.
    context.conversation.vars.address = (context.input.understanding.address ?? context.input.text.trim()).slice(0, 300);
  },
};

/** order.useLastAddress: the address remembered on the contact. */
export const useLastAddress: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    context.conversation.vars.fulfilment = 'delivery';
    context.conversation.vars.address = context.facts.contact.lastAddress;
  },
};

/** language.set: the language the resident asked for ("english", "bahasa indonesia"). */
export const setLanguage: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    if (context.input.kind === 'message' && context.input.understanding.language) context.conversation.language = context.input.understanding.language;
  },
};

/** language.toggle: the menu's "English / Bahasa Indonesia" option. */
export const toggleLanguage: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    context.conversation.language = context.conversation.language === 'id' ? 'en' : 'id';
  },
};
