import type { CoopDoc } from '../db/models/coop.js';
import type { Models } from '../db/models/index.js';
import type { OrderDoc, OrderStatus } from '../db/models/order.js';
import type { ProductDoc } from '../db/models/product.js';
import { DomainRuleError } from '../domain/errors.js';
import { cancelOrder } from '../domain/orders/cancel-order.js';
import { changeOrderStatus, nextOrderSteps, type OrderStep } from '../domain/orders/change-order-status.js';
import { markOrderPaid } from '../domain/orders/mark-order-paid.js';
import { adjustStock } from '../domain/products/adjust-stock.js';
import type { ParamValue, ReplyMessage } from '../engine/reply-message.js';
import { parseStaffCommand, type StaffCommand } from '../language/staff-command.js';
import { findProducts } from './find-products.js';

/** Orders still needing the coop's work, oldest first. */
const OPEN_STATUSES: OrderStatus[] = ['new', 'confirmed', 'ready', 'delivering'];
const OPEN_LIST_LIMIT = 30;
/** Staff may refuse an order until it is done. */
const REFUSABLE: OrderStatus[] = ['new', 'confirmed', 'ready', 'delivering'];
/** The command word staff type for each step, to suggest the next one. */
const STEP_COMMANDS: Record<OrderStep, string> = { confirmed: 'OK', ready: 'SIAP', delivering: 'ANTAR', completed: 'SELESAI' };

export interface StaffChatInput {
  coop: CoopDoc;
  phone: string;
  text: string;
  now: Date;
  /** The message's dedupe key: a redelivered stock command is not applied twice. */
  messageKey: string;
}

export interface StaffChat {
  /** True when the phone is one of the coop's staff contacts: their messages are commands, never resident orders. */
  isStaff(coop: CoopDoc, phone: string): boolean;
  /** Runs one staff message; the replies to send back. */
  handle(input: StaffChatInput): Promise<ReplyMessage[]>;
}

/**
 * Staff run the gerai from chat: confirm, advance, refuse and mark orders paid, list the
 * open ones, and correct stock. Every order change stores a notice for the resident with
 * the change; `onNoticesStored` lets the relay send it at once.
 */
export function createStaffChat(deps: { models: Models; onNoticesStored: () => void }): StaffChat {
  const { models } = deps;
  return {
    isStaff: (coop, phone) => coop.staff.some((member) => member.phone === phone),
    async handle(input) {
      const member = input.coop.staff.find((candidate) => candidate.phone === input.phone);
      const by = `staff:${member?.name ?? input.phone}`;
      const command = parseStaffCommand(input.text);
      if (!command || command.kind === 'help') return [{ key: 'staff:help' }];
      return run(command, input, by);
    },
  };

  async function run(command: Exclude<StaffCommand, { kind: 'help' }>, input: StaffChatInput, by: string): Promise<ReplyMessage[]> {
    const coopId = input.coop._id;
    switch (command.kind) {
      case 'usage':
        return [{ key: `staff:usage.${command.command}` }];
      case 'list-open':
        return listOpen(coopId);
      case 'order-step': {
        const replies: ReplyMessage[] = [];
        for (const number of command.numbers) replies.push(...(await step(coopId, number, command.to, by, input.now)));
        return replies;
      }
      case 'reject':
        return reject(coopId, command.number, command.reason, by, input.now);
      case 'mark-paid': {
        const replies: ReplyMessage[] = [];
        for (const number of command.numbers) replies.push(...(await markPaid(coopId, number, by, input.now)));
        return replies;
      }
      case 'stock':
        return stock(coopId, command, by, input.now, input.messageKey);
    }
  }

  async function step(coopId: string, number: number, to: OrderStep, by: string, now: Date): Promise<ReplyMessage[]> {
    try {
      const { order, changed } = await changeOrderStatus(models, { coopId, number, status: to, by, now });
      if (!changed) return [{ key: 'staff:step_already', params: { number, status: statusName(order.status) } }];
      deps.onNoticesStored();
      return [{ key: 'staff:step_done', params: { number, status: statusName(order.status) } }];
    } catch (error) {
      if (!(error instanceof DomainRuleError)) throw error;
      if (error.code === 'order_not_found') return [{ key: 'staff:not_found', params: { number } }];
      const order = await models.Order.findOne({ coopId, number }, { status: 1, fulfilment: 1 }).lean<Pick<OrderDoc, 'status' | 'fulfilment'>>();
      if (!order) return [{ key: 'staff:not_found', params: { number } }];
      const next = nextOrderSteps(order);
      if (next.length === 0) return [{ key: 'staff:step_closed', params: { number, status: statusName(order.status) } }];
      return [
        { key: 'staff:step_refused', params: { number, status: statusName(order.status), to: statusName(to) } },
        next.length > 0
          ? { key: 'staff:step_next', params: { commands: next.map((candidate) => `${STEP_COMMANDS[candidate]} ${number}`).join(', ') }, join: true }
          : { key: 'staff:step_final', join: true },
      ];
    }
  }

  async function reject(coopId: string, number: number, reason: string | undefined, by: string, now: Date): Promise<ReplyMessage[]> {
    try {
      const order = await cancelOrder(models, { coopId, number, now, by, notify: 'resident', cancellableFrom: REFUSABLE, ...(reason ? { note: reason } : {}) });
      deps.onNoticesStored();
      const rejected: ReplyMessage = { key: 'staff:rejected', params: { number } };
      return order.payment.status === 'refund_due' ? [rejected, { key: 'staff:refund_due', params: { total: { money: order.totalRp } }, join: true }] : [rejected];
    } catch (error) {
      if (!(error instanceof DomainRuleError)) throw error;
      if (error.code === 'order_not_found') return [{ key: 'staff:not_found', params: { number } }];
      return [{ key: 'staff:reject_refused', params: { number, status: statusName(String(error.params.status) as OrderStatus) } }];
    }
  }

  async function markPaid(coopId: string, number: number, by: string, now: Date): Promise<ReplyMessage[]> {
    try {
      const { order, changed } = await markOrderPaid(models, { coopId, number, by, now });
      if (!changed) return [{ key: 'staff:paid_already', params: { number } }];
      deps.onNoticesStored();
      return [{ key: 'staff:paid', params: { number, total: { money: order.totalRp } } }];
    } catch (error) {
      if (!(error instanceof DomainRuleError)) throw error;
      return [{ key: error.code === 'order_not_found' ? 'staff:not_found' : 'staff:payment_not_open', params: { number } }];
    }
  }

  async function listOpen(coopId: string): Promise<ReplyMessage[]> {
    const orders = await models.Order.find({ coopId, status: { $in: OPEN_STATUSES } })
      .sort({ placedAt: 1 })
      .limit(OPEN_LIST_LIMIT)
      .lean<OrderDoc[]>();
    if (orders.length === 0) return [{ key: 'staff:none_open' }];
    const lines: ReplyMessage[] = orders.map((order) => ({
      key: 'staff:open_line',
      params: { number: order.number, status: statusName(order.status), total: { money: order.totalRp }, fulfilment: { t: `order:fulfilment_method.${order.fulfilment.method}` } },
    }));
    return [{ key: 'staff:open_orders', params: { count: orders.length, lines: { list: lines } } }];
  }

  async function stock(coopId: string, command: Extract<StaffCommand, { kind: 'stock' }>, by: string, now: Date, messageKey: string): Promise<ReplyMessage[]> {
    const matches = await findProducts(models, coopId, command.product);
    if (matches.length === 0) return [{ key: 'staff:stock_unknown', params: { text: command.product } }];
    if (matches.length > 1) return [{ key: 'staff:stock_ambiguous', params: { text: command.product, names: matches.map((product) => product.name).join(', ') } }];
    const product: ProductDoc = matches[0];
    try {
      const updated = await adjustStock(models, { coopId, productId: product.productId, mode: command.mode, quantity: command.quantity, by, reason: 'chat', now, sourceMessageKey: messageKey });
      return [{ key: 'staff:stock_set', params: { name: updated.name, qty: { qty: updated.stock }, unit: updated.stockUnit } }];
    } catch (error) {
      if (!(error instanceof DomainRuleError) || error.code !== 'stock_too_low') throw error;
      return [{ key: 'staff:stock_too_low', params: { name: product.name, qty: { qty: Number(error.params.stock) }, unit: product.stockUnit, amount: { qty: command.quantity } } }];
    }
  }
}

function statusName(status: OrderStatus): ParamValue {
  return { t: `status:state.${status}` };
}
