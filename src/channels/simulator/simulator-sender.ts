import type { ChannelSender } from '../types.js';

/**
 * The simulator has no network to send on: a notice to a simulated resident (an order
 * confirmed by staff) counts as sent when its worker takes it, and stays readable in the
 * outbox, which is where a simulated phone's messages live.
 */
export function createSimulatorSender(): ChannelSender {
  return {
    provider: 'simulator',
    send: async (message) => ({ providerMessageId: `simulator-${message.id}`, status: 'sent' }),
  };
}
