import type { Router } from 'express';
import type { Config } from '../config/config.js';
import type { InstanceRegistry } from '../db/instance-registry.js';
import type { Models } from '../db/models/index.js';
import type { OutboxStore } from '../db/outbox-store.js';
import type { Logger } from '../logger.js';
import { createDeliveryWorker, type DeliveryWorker } from '../outbox/delivery-worker.js';
import { createSmsFallback } from '../outbox/sms-fallback.js';
import { createCoopNumberCache } from '../db/coop-number-cache.js';
import type { ChatService } from '../engine/chat-service.js';
import { maskPhone } from '../logger.js';
import { gatewaySettingsFrom } from './sms-gateway/sms-gateway-settings.js';
import { createSmsGatewaySender } from './sms-gateway/sms-gateway-sender.js';
import { createSmsGatewayWebhookRouter } from './sms-gateway/sms-gateway-webhook-router.js';
import type { RouteFinder } from '../outbox/notice-item.js';
import { createSimulatorSender } from './simulator/simulator-sender.js';
import { createTwilioSender } from './twilio/twilio-sender.js';
import { createTwilioWebhookRouter } from './twilio/twilio-webhook-router.js';
import type { ChannelSender, DeliveryStatusSink, MessageHandler, ProviderName } from './types.js';
import { createWhatsAppNumbers, type WhatsAppNumbers } from './whatsapp-numbers.js';

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

export interface Channels {
  /** Webhook routes of the enabled providers (each reads its own raw body). */
  routers: Router[];
  /** Wakes a provider's delivery worker (new items were stored). */
  wake(provider: ProviderName): void;
  /** Records a provider's delivery report (and falls back to SMS where WhatsApp refused). */
  recordStatus: DeliveryStatusSink;
  /** The provider a notice to this phone goes out on: the one that last reached it, else the channel's default. */
  routeFor: RouteFinder;
  whatsapp?: WhatsAppNumbers;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the enabled channel adapters from configuration, one delivery worker per provider
 * that can send, and the delivery-status path shared by all of them.
 */
export function createChannels(deps: ChannelsDeps): Channels {
  const { config, models, outbox, logger } = deps;
  const senders: ChannelSender[] = [];
  const routers: Router[] = [];
  const workers = new Map<ProviderName, DeliveryWorker>();
  const wake = (provider: ProviderName) => workers.get(provider)?.wake();
  const gatewayOf = (filter: { _id: string } | { slug: string }) => findGateway(models, config.smsGateway, filter);

  /** How a coop's SMS go out: its Android gateway when it has one, else Twilio when configured. */
  const smsProviderFor = async (coopId: string): Promise<ProviderName | undefined> => {
    if (await gatewayOf({ _id: coopId })) return 'sms-gateway';
    return workers.has('twilio') ? 'twilio' : undefined;
  };
  const fallBackToSms = createSmsFallback({
    store: outbox,
    logger,
    wake,
    smsRouteFor: async (coopId) => ((await models.Coop.exists({ _id: coopId, 'settings.smsFallback': true })) ? smsProviderFor(coopId) : undefined),
  });
  const recordStatus: DeliveryStatusSink = async (update) => {
    const item = await outbox.recordStatus(update);
    if (item?.status === 'failed') await fallBackToSms(item, item.lastError ?? {});
  };

  const clock = () => new Date();

  const coopsByNumber = createCoopNumberCache(models);
  if (config.twilio && config.publicBaseUrl) {
    const { accountSid, authToken } = config.twilio;
    routers.push(
      createTwilioWebhookRouter({
        authToken,
        publicBaseUrl: config.publicBaseUrl,
        resolveCoop: (channel, to) => coopsByNumber.get(channel, to),
        handle: deps.handle,
        markSentInline: (ids) => outbox.markSentInline(ids, clock()),
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
  routers.push(createSmsGatewayWebhookRouter({ resolveGateway: (slug) => gatewayOf({ slug }), handle: deps.handle, recordStatus, logger }));
  senders.push(createSmsGatewaySender({ gatewayFor: (coopId) => gatewayOf({ _id: coopId }), logger }));

  senders.push(createSimulatorSender());

  const whatsapp = config.whatsappEnabled ? createWhatsAppNumbers({ models, handle: deps.handle, recordStatus, onLoggedOut: (coopId) => tellStaffWhatsAppIsDown(coopId), logger }) : undefined;
  if (whatsapp) senders.push(whatsapp.sender);

  /** The phone unlinked the coop's number: its staff hear it by SMS, since WhatsApp is what broke. */
  async function tellStaffWhatsAppIsDown(coopId: string): Promise<void> {
    const coop = await models.Coop.findById(coopId, { name: 1, slug: 1, staff: 1 }).lean();
    const provider = await smsProviderFor(coopId);
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

  const routeFor: RouteFinder = async (coopId, channel, to) => {
    // Whoever carried the last message to this phone can reach it again; the simulator only
    // outside production (a staff phone tried once with the simulator must not "receive"
    // every later notice there).
    const carriers = [...workers.keys()].filter((provider) => provider !== 'simulator' || !config.isProduction);
    const last = await models.OutboxItem.findOne({ coopId, to, channel, provider: { $in: carriers } }, { provider: 1 }).sort({ createdAt: -1 }).lean();
    if (last) return last.provider;
    if (channel === 'sms') return smsProviderFor(coopId);
    return workers.has('baileys') ? 'baileys' : workers.has('twilio') ? 'twilio' : undefined;
  };

  for (const sender of senders) {
    workers.set(sender.provider, createDeliveryWorker({ sender, store: outbox, owner: deps.instances.id, isAlive: deps.instances.isAlive, logger, onFailed: fallBackToSms }));
  }

  return {
    routers,
    wake,
    recordStatus,
    routeFor,
    ...(whatsapp ? { whatsapp } : {}),
    async start() {
      for (const worker of workers.values()) worker.start();
      await whatsapp?.start();
    },
    async stop() {
      // Sends in flight finish first (they may use a WhatsApp socket), then the sockets close.
      await Promise.all([...workers.values()].map((worker) => worker.stop()));
      await whatsapp?.stop();
    },
  };
}

/** A coop's Android SMS gateway: its own settings over the SMS_GATEWAY_* defaults; undefined when it has none. */
async function findGateway(models: Models, defaults: Config['smsGateway'], filter: { _id: string } | { slug: string }) {
  const coop = await models.Coop.findOne(filter, { _id: 1, smsGateway: 1 }).lean();
  if (!coop) return undefined;
  const settings = gatewaySettingsFrom(coop.smsGateway, defaults ?? {});
  return settings ? { coopId: coop._id, ...settings } : undefined;
}
