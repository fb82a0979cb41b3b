import type { AnyMessageContent, BaileysEventEmitter, UserFacingSocketConfig, WAMessage, WAMessageKey, WAPresence } from '@whiskeysockets/baileys';

/** The part of Baileys' LID mapping store the adapter reads (sock.signalRepository.lidMapping). */
export interface LidMappingLookup {
  /** The phone-number jid behind a `@lid` jid (e.g. 6281...:0@s.whatsapp.net), or null when unknown. */
  getPNForLID(lid: string): Promise<string | null>;
}

/**
 * The part of a Baileys socket (makeWASocket's return value) this adapter uses. Narrow on
 * purpose: tests stand a small fake in for it, and the real socket satisfies it as is.
 */
export interface BaileysSocket {
  ev: BaileysEventEmitter;
  sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined>;
  sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void>;
  readMessages(keys: WAMessageKey[]): Promise<void>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  end(error: Error | undefined): Promise<void> | void;
  logout(msg?: string): Promise<void>;
  signalRepository?: { lidMapping?: LidMappingLookup };
}

/** makeWASocket, or a fake in tests. */
export type SocketFactory = (config: UserFacingSocketConfig) => BaileysSocket;
