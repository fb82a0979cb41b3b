import type { Models } from '../db/models/index.js';
import { isPaired } from '../db/whatsapp-auth-store.js';
import type { Logger } from '../logger.js';
import { createBaileysSender } from './baileys/baileys-sender.js';
import { printQrToTerminal } from './baileys/print-qr.js';
import { createWhatsAppConnection, type WhatsAppConnection, type WhatsAppConnectionState } from './baileys/whatsapp-connection.js';
import type { ChannelSender, DeliveryStatusSink, MessageHandler } from './types.js';

/** A cooperative's WhatsApp number as the admin API shows it. */
export interface WhatsAppStatus {
  coopId: string;
  state: WhatsAppConnectionState | 'not_paired';
  /** While pairing: the QR to scan (its text; render it as a QR image), or the code to type. */
  qr?: string;
  pairingCode?: string;
}

/** WhatsApp numbers through Baileys, when WHATSAPP_ENABLED. */
export interface WhatsAppNumbers {
  status(): Promise<WhatsAppStatus[]>;
  /** Starts pairing a coop's number in this service: the QR (or, with a phone, a pairing code) to show staff. */
  pair(coopId: string, phone?: string): Promise<WhatsAppStatus>;
}

export interface WhatsAppNumbersDeps {
  models: Models;
  handle: MessageHandler;
  recordStatus: DeliveryStatusSink;
  /** The phone unlinked a coop's number: someone has to pair it again. */
  onLoggedOut(coopId: string): Promise<void>;
  logger: Logger;
}

/**
 * The service's WhatsApp connections, one per linked cooperative number: linked numbers
 * connect at start, unlinked ones are paired on request; replies go out through the paced sender.
 */
export function createWhatsAppNumbers(deps: WhatsAppNumbersDeps): WhatsAppNumbers & { sender: ChannelSender; start(): Promise<void>; stop(): Promise<void> } {
  const { models, logger } = deps;
  const connections = new Map<string, WhatsAppConnection>();
  const describe = (coopId: string, connection: WhatsAppConnection, pairingCode = connection.pairingCode): WhatsAppStatus => ({
    coopId,
    state: connection.state,
    ...(connection.qr ? { qr: connection.qr } : {}),
    ...(pairingCode ? { pairingCode } : {}),
  });

  const connect = async (coopId: string) => {
    let connection = connections.get(coopId);
    if (connection) return connection;
    connection = createWhatsAppConnection({
      coopId,
      connection: models.connection,
      handle: deps.handle,
      logger,
      recordStatus: deps.recordStatus,
      onQr: (qr) => {
        logger.info({ coopId }, 'WhatsApp pairing: scan this QR (Linked devices > Link a device)');
        if (process.stdout.isTTY) printQrToTerminal(qr);
      },
      onStatus: (state) => logger.info({ coopId, state }, 'WhatsApp connection'),
      onLoggedOut: (id) => deps.onLoggedOut(id),
    });
    connections.set(coopId, connection);
    await connection.start();
    return connection;
  };

  return {
    sender: createBaileysSender({ socketFor: (coopId) => connections.get(coopId), logger }),
    async status() {
      const coops = await models.Coop.find({}, { _id: 1 }).sort({ _id: 1 }).lean();
      return coops.map(({ _id }) => {
        const connection = connections.get(_id);
        return connection ? describe(_id, connection) : { coopId: _id, state: 'not_paired' as const };
      });
    },
    async pair(coopId, phone) {
      const connection = await connect(coopId);
      return describe(coopId, connection, phone ? await connection.requestPairingCode(phone) : connection.pairingCode);
    },
    async start() {
      // Only linked numbers connect by themselves; an unlinked one is paired from the admin API or the pair script.
      for (const { _id, slug } of await models.Coop.find({}, { _id: 1, slug: 1 }).lean()) {
        if (await isPaired(models.connection, _id)) await connect(_id);
        else logger.warn({ coop: slug }, `WhatsApp not linked: run npm run whatsapp:pair -- --coop ${slug}`);
      }
    },
    async stop() {
      await Promise.all([...connections.values()].map((connection) => connection.stop()));
    },
  };
}
