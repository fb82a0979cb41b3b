import { proto, type WAMessageUpdate } from '@whiskeysockets/baileys';
import type { DeliveryStatusUpdate } from '../types.js';

const Status = proto.WebMessageInfo.Status;

/**
 * A delivery report for one of our sent messages, from a Baileys 'messages.update' entry;
 * undefined for updates that are not a status change of a message we sent.
 * READ and PLAYED imply delivery, so they count as delivered (a missed DELIVERY_ACK then
 * still ends in 'delivered').
 */
export function toDeliveryStatusUpdate(entry: WAMessageUpdate, at: Date): DeliveryStatusUpdate | undefined {
  const { key, update } = entry;
  if (!key.fromMe || !key.id || update.status === undefined || update.status === null) return undefined;
  const status = mapStatus(update.status);
  if (!status) return undefined;
  const result: DeliveryStatusUpdate = { provider: 'baileys', providerMessageId: key.id, status, at };
  if (status === 'failed') {
    const code: unknown = Array.isArray(update.messageStubParameters) ? update.messageStubParameters[0] : undefined;
    if (typeof code === 'string' || typeof code === 'number') result.errorCode = String(code);
  }
  return result;
}

function mapStatus(status: proto.WebMessageInfo.Status): DeliveryStatusUpdate['status'] | undefined {
  switch (status) {
    case Status.ERROR:
      return 'failed';
    case Status.SERVER_ACK:
      return 'sent';
    case Status.DELIVERY_ACK:
    case Status.READ:
    case Status.PLAYED:
      return 'delivered';
    default:
      // PENDING says nothing the outbox does not already know.
      return undefined;
  }
}
