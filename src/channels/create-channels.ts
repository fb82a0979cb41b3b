import type { Router } from 'express';
import type { Config } from '../config/config.js';
import type { InstanceRegistry } from '../db/instance-registry.js';
import type { Models } from '../db/models/index.js';
import type { OutboxStore } from '../db/outbox-store.js';
import type { Logger } from '../logger.js';
import { createDeliveryWorker, type DeliveryWorker } from '../outbox/delivery-worker.js';
import { createSmsFallback } from '../outbox/sms-fallback.js';
import { findCoopByNumber } from '../domain/coops/find-coop-by-number.js';
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

  if (config.twilio && config.publicBaseUrl) {
    const { accountSid, authToken } = config.twilio;
    routers.push(
      createTwilioWebhookRouter({
        authToken,
        publicBaseUrl: config.publicBaseUrl,
        resolveCoop: async (channel, to) => (await findCoopByNumber(models, channel, to))?._id,
        handle: deps.handle,
        claimInline,
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

  for (const sender of senders) {
    workers.set(sender.provider, createDeliveryWorker({ sender, store: outbox, owner: deps.instances.id, isAlive: deps.instances.isAlive, logger, onFailed: fallBackToSms }));
  }

  return {
    routers,
    wake,
    recordStatus,
    providers: () => [...workers.keys()],
    async start() {
      for (const worker of workers.values()) worker.start();
    },
    async stop() {
      await Promise.all([...workers.values()].map((worker) => worker.stop()));
    },
  };
}
