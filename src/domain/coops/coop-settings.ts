import type { ChannelName } from '../../channels/types.js';

export interface HouseholdLimit {
  productId: string;
  /** Most units of this product one order may hold. */
  maxPerOrder: number;
  /** Most units one household (phone) may order per calendar day in the coop's timezone. */
  maxPerDay: number;
}

export interface CoopSettings {
  pickup: { enabled: boolean; address: string };
  delivery: { enabled: boolean; feeRp: number; area: string };
  openingHours: { days: string; open: string; close: string };
  bankAccount: { bank: string; accountNumber: string; accountName: string };
  /** `payload`: the coop's printed (static) QRIS; with it, each QRIS order gets a QR for its exact total. */
  qris: { enabled: boolean; merchantName: string; payload?: string };
  /** A WhatsApp message refused outside the 24-hour window goes out again by SMS. */
  smsFallback: boolean;
  /** Channels on which a balance check asks for the member's PIN. */
  pinRequiredOn: ChannelName[];
  householdLimits: HouseholdLimit[];
}
