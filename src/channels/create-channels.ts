import type { Router } from 'express';
import type { Config } from '../config/config.js';
import type { InstanceRegistry } from '../db/instance-registry.js';
import type { Models } from '../db/models/index.js';
import type { OutboxStore } from '../db/outbox-store.js';
import type { Logger } from '../logger.js';
import { createDeliveryWorker, type DeliveryWorker } from '../outbox/delivery-worker.js';
import { createSmsFallback } from '../outbox/sms-fallback.js';
import { createCoopNumberCache } from '../db/coop-number-cache.js';
import { isPaired } from '../db/whatsapp-auth-store.js';
import type { ChatService } from '../engine/chat-service.js';
import { maskPhone } from '../logger.js';
import { createBaileysSender } from './baileys/baileys-sender.js';
import { printQrToTerminal } from './baileys/print-qr.js';
import { createWhatsAppConnection, type WhatsAppConnection, type WhatsAppConnectionState } from './baileys/whatsapp-connection.js';
import { gatewaySettingsFrom } from './sms-gateway/sms-gateway-settings.js';
import { createSmsGatewaySender } from './sms-gateway/sms-gateway-sender.js';
import { createSmsGatewayWebhookRouter } from './sms-gateway/sms-gateway-webhook-router.js';
import { createTwilioSender } from './twilio/twilio-sender.js';
import { createTwilioWebhookRouter } from './twilio/twilio-webhook-router.js';
import type { ChannelSender, DeliveryStatusSink, MessageHandler, ProviderName } from './types.js';

export interface ChannelsDeps {
  config: Readonly<Config>;
  models: Models;
  outbox: OutboxStore;
  /** This instance (outbox leases name it; a dead instance's leases are taken back). */
  instances: Pick<InstanceRegistry, 'id' | 'isAlive'>;
  logger: Logger;
  handle: MessageHandler;
  /** Renders notices the service sends on its own (to staff). */
  renderNotice: ChatService['renderNotice'];
}

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

export interface Channels {
  /** Webhook routes of the enabled providers (each reads its own raw body). */
  routers: Router[];
  /** Wakes a provider's delivery worker (new items were stored). */
  wake(provider: ProviderName): void;
  /** Records a provider's delivery report (and falls back to SMS where WhatsApp refused). */
  recordStatus: DeliveryStatusSink;
  /** The providers that have a sender here. */
  providers(): ProviderName[];
  whatsapp?: WhatsAppNumbers;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the enabled channel adapters from configuration, one delivery worker per provider
 * that can send, and the delivery-status path shared by all of them.
 */
export function createChannels(deps: ChannelsDeps): Channels {
  const { outbox, logger } = deps;
  const senders: ChannelSender[] = [];
  const routers: Router[] = [];
  const workers = new Map<ProviderName, DeliveryWorker>();
  const startHooks: Array<() => Promise<void>> = [];
  const wake = (provider: ProviderName) => workers.get(provider)?.wake();

  const fallBackToSms = createSmsFallback({
    store: outbox,
    logger,
    wake,
    smsRouteFor: async (coopId) => {
      const coop = await deps.models.Coop.findById(coopId, { settings: 1, smsGateway: 1 }).lean();
      if (!coop?.settings.smsFallback) return undefined;
      if (workers.has('sms-gateway') && (coop.smsGateway?.baseUrl || deps.config.smsGateway?.baseUrl)) return 'sms-gateway';
      return workers.has('twilio') ? 'twilio' : undefined;
    },
  });
  const recordStatus: DeliveryStatusSink = async (update) => {
    const item = await outbox.recordStatus(update);
    if (item?.status === 'failed') await fallBackToSms(item, item.lastError ?? {});
  };

  const { config, models } = deps;
  const clock = () => new Date();
  const claimInline = (ids: string[]) => outbox.claimInline(ids, clock());

  const coopsByNumber = createCoopNumberCache(models);
  if (config.twilio && config.publicBaseUrl) {
    const { accountSid, authToken } = config.twilio;
    routers.push(
      createTwilioWebhookRouter({
        authToken,
        publicBaseUrl: config.publicBaseUrl,
        resolveCoop: (channel, to) => coopsByNumber.get(channel, to),
        handle: deps.handle,
        claimInline,
        releaseInline: async (ids) => {
          await outbox.releaseInline(ids, clock());
          wake('twilio');
        },
        recordStatus,
        logger,
      }),
    );
    senders.push(
      createTwilioSender({
        accountSid,
        authToken,
        publicBaseUrl: config.publicBaseUrl,
        logger,
        // The coop's first number on that channel is its Twilio sender.
        fromNumber: async (message) => {
          const coop = await models.Coop.findById(message.coopId, { numbers: 1 }).lean();
          const number = coop?.numbers[message.channel][0];
          if (!number) throw new Error(`coop ${message.coopId} has no ${message.channel} number to send from`);
          return number;
        },
      }),
    );
  }

  // Each coop's Android phone: settings on the coop, SMS_GATEWAY_* as defaults.
  const gatewayOf = async (filter: { _id: string } | { slug: string }) => {
    const coop = await models.Coop.findOne(filter, { _id: 1, smsGateway: 1 }).lean();
    if (!coop) return undefined;
    const settings = gatewaySettingsFrom(coop.smsGateway, config.smsGateway ?? {});
    return settings ? { coopId: coop._id, ...settings } : undefined;
  };
  routers.push(createSmsGatewayWebhookRouter({ resolveGateway: (slug) => gatewayOf({ slug }), handle: deps.handle, recordStatus, logger }));
  senders.push(createSmsGatewaySender({ gatewayFor: (coopId) => gatewayOf({ _id: coopId }), logger }));

  let whatsapp: WhatsAppNumbers | undefined;
  const connections = new Map<string, WhatsAppConnection>();
  if (config.whatsappEnabled) {
    senders.push(createBaileysSender({ socketFor: (coopId) => connections.get(coopId), logger }));
    const connect = async (coopId: string) => {
      let connection = connections.get(coopId);
      if (connection) return connection;
      connection = createWhatsAppConnection({
        coopId,
        connection: models.connection,
        handle: deps.handle,
        logger,
        recordStatus,
        onQr: (qr) => {
          logger.info({ coopId }, 'WhatsApp pairing: scan this QR (Linked devices > Link a device)');
          if (process.stdout.isTTY) printQrToTerminal(qr);
        },
        onStatus: (state) => logger.info({ coopId, state }, 'WhatsApp connection'),
        onLoggedOut: (id) => tellStaffWhatsAppIsDown(id),
      });
      connections.set(coopId, connection);
      await connection.start();
      return connection;
    };
    whatsapp = {
      async status() {
        const coops = await models.Coop.find({}, { _id: 1 }).sort({ _id: 1 }).lean();
        return coops.map(({ _id }) => {
          const connection = connections.get(_id);
          if (!connection) return { coopId: _id, state: 'not_paired' as const };
          return { coopId: _id, state: connection.state, ...(connection.qr ? { qr: connection.qr } : {}), ...(connection.pairingCode ? { pairingCode: connection.pairingCode } : {}) };
        });
      },
      async pair(coopId, phone) {
        const connection = await connect(coopId);
        const pairingCode = phone ? await connection.requestPairingCode(phone) : connection.pairingCode;
        return { coopId, state: connection.state, ...(connection.qr ? { qr: connection.qr } : {}), ...(pairingCode ? { pairingCode } : {}) };
      },
    };
    startHooks.push(async () => {
      // Only linked numbers connect by themselves; an unlinked one is paired from the admin API or the pair script.
      for (const { _id, slug } of await models.Coop.find({}, { _id: 1, slug: 1 }).lean()) {
        if (await isPaired(models.connection, _id)) await connect(_id);
        else logger.warn({ coop: slug }, `WhatsApp not linked: run npm run whatsapp:pair -- --coop ${slug}`);
      }
    });
  }

  /** The phone unlinked the coop's number: its staff hear it by SMS, since WhatsApp is what broke. */
  async function tellStaffWhatsAppIsDown(coopId: string): Promise<void> {
    const coop = await models.Coop.findById(coopId, { name: 1, slug: 1, staff: 1 }).lean();
    const provider = workers.has('sms-gateway') ? 'sms-gateway' : workers.has('twilio') ? 'twilio' : undefined;
    if (!coop || !provider) {
      logger.error({ coopId }, 'WhatsApp logged out and no SMS route to tell staff');
      return;
    }
    const text = deps.renderNotice({ key: 'common:whatsapp_logged_out', params: { coop: coop.name, slug: coop.slug } }, { language: 'id', channel: 'sms' });
    const now = new Date();
    for (const member of coop.staff) {
      await outbox.add({ coopId, channel: 'sms', provider, to: member.phone, text, status: 'pending', nextAttemptAt: now }, now);
      logger.warn({ coopId, to: maskPhone(member.phone) }, 'WhatsApp logged out: staff told by SMS');
    }
    wake(provider);
  }

  for (const sender of senders) {
    workers.set(sender.provider, createDeliveryWorker({ sender, store: outbox, owner: deps.instances.id, isAlive: deps.instances.isAlive, logger, onFailed: fallBackToSms }));
  }

  return {
    routers,
    wake,
    recordStatus,
    providers: () => [...workers.keys()],
    ...(whatsapp ? { whatsapp } : {}),
    async start() {
      for (const worker of workers.values()) worker.start();
      for (const hook of startHooks) await hook();
    },
    async stop() {
      // Sends in flight finish first (they may use a WhatsApp socket), then the sockets close.
      await Promise.all([...workers.values()].map((worker) => worker.stop()));
      await Promise.all([...connections.values()].map((connection) => connection.stop()));
    },
  };
}
