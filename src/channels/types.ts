/** The channels a message can arrive on; replies are rendered per channel. */
export type ChannelName = 'simulator' | 'whatsapp' | 'sms' | 'twilio-whatsapp';

export const CHANNEL_NAMES: readonly ChannelName[] = ['simulator', 'whatsapp', 'sms', 'twilio-whatsapp'];

/** One inbound text, as every adapter hands it to the engine. */
export interface InboundMessage {
  channel: ChannelName;
  coopId: string;
  /** E.164, e.g. +6281200000001 */
  from: string;
  providerMessageId: string;
  text: string;
  receivedAt: Date;
}
