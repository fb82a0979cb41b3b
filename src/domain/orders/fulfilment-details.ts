import type { OrderFulfilment } from '../../db/models/order.js';

type Details = Pick<OrderFulfilment, 'when' | 'contactPhone'>;

/** "besok jam 10 pagi, HP 081377712345" as a reply parameter (see engine/reply-message.ts); undefined without either. */
export function detailItems(details: Details) {
  const parts: { key: string; params: Record<string, string> }[] = [
    ...(details.when ? [{ key: 'order:detail_when', params: { when: details.when } }] : []),
    ...(details.contactPhone ? [{ key: 'order:detail_phone', params: { phone: details.contactPhone } }] : []),
  ];
  return parts.length === 0 ? undefined : { list: parts, inline: true };
}

/**
 * "Catatan: besok jam 10 pagi, HP 081377712345": when the resident wants the goods and a
 * number to call, for the summary they confirm and the shop's notice; empty without either.
 */
export function fulfilmentDetails(details: Details) {
  const items = detailItems(details);
  return items === undefined ? '' : { t: 'order:summary_details', params: { items } };
}
