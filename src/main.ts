import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createAdminRouter } from './admin/admin-router.js';
import { createSimulatorRouter } from './channels/simulator/simulator-router.js';
import { connectDatabase, type Database } from './db/connect.js';
import { createInstanceRegistry, type InstanceRegistry } from './db/instance-registry.js';
import { createJobLeases } from './db/job-leases.js';
import { ensureIndexes, getModels, type Models } from './db/models/index.js';
import { createOutboxStore, type OutboxStore } from './db/outbox-store.js';
import { seedDemoData } from './demo/seed.js';
import { createChatService, type ChatService } from './engine/chat-service.js';
import { createDailyRecapJob } from './jobs/daily-recap.js';
import { createExpireCartsJob } from './jobs/expire-carts.js';
import { createLowStockJob } from './jobs/low-stock.js';
import { createJobRunner, type JobRunner } from './jobs/schedule-jobs.js';
import { createUnconfirmedOrdersJob } from './jobs/unconfirmed-orders.js';
import { createWajibReminderJob } from './jobs/wajib-reminder.js';
import { createOutboxSweepJob } from './jobs/outbox-sweep.js';
import { createLogger, type Logger } from './logger.js';
import { createChannels, type Channels } from './channels/create-channels.js';
import { createSignInLimiter } from './admin/sign-in-limiter.js';
import { requireLocalOrAdmin } from './http/local-or-admin.js';
import { createOrderNoticeRelay, type OrderNoticeRelay } from './outbox/order-notice-relay.js';
import { createStaffChat } from './staff/staff-chat.js';
import { createQrCodeRouter } from './outbox/qr-code-router.js';
import { createDashboardRouter } from './admin/dashboard/dashboard-router.js';
import { createMetricsRouter } from './metrics/metrics-router.js';
import { createServiceMetrics, type ServiceMetrics } from './metrics/service-metrics.js';

/** Shutdown must finish within this; after it the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

export interface RunningService {
  config: Readonly<Config>;
  logger: Logger;
  database: Database;
  models: Models;
  chat: ChatService;
  outbox: OutboxStore;
  instances: InstanceRegistry;
  channels: Channels;
  /** Sends the notices stored on orders (new order to staff, status changes to residents). */
  notices: OrderNoticeRelay;
  /** The scheduled jobs, also runnable by hand. */
  jobs: JobRunner;
  /** The HTTP port actually bound (PORT=0 picks a free one). */
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The service cannot go on (its embedded database died). The command line exits 1. */
  onFatal?: (error: Error) => void;
  /** False: jobs run only when asked (`npm run job`), not on their schedules. */
  schedule?: boolean;
}

/** Starts the whole service: configuration, database, HTTP. */
export async function start(env: NodeJS.ProcessEnv = process.env, options: StartOptions = {}): Promise<RunningService> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel, pretty: config.nodeEnv === 'development' && process.stdout.isTTY });
  if (config.nodeEnv === 'development') {
    // First line on purpose: an operator who forgot NODE_ENV=production must see it before anything else.
    logger.warn({ env: config.nodeEnv }, 'development mode: demo data in an empty database, a generated admin token if none is set; set NODE_ENV=production for a real deployment');
  }
  if (config.adminTokenGenerated) {
    // Development only (production refuses to start without one): shown once, never stored.
    logger.warn({ adminToken: config.adminToken }, 'ADMIN_TOKEN not set: generated one for this run');
  }

  const database = await connectDatabase(config, logger, (error) => {
    logger.fatal({ err: error }, 'the embedded database stopped; the service cannot store anything');
    options.onFatal?.(error);
  });
  let models: Models;
  let chat: ChatService;
  let server: Server;
  let instances: InstanceRegistry;
  let channels: Channels;
  let notices: OrderNoticeRelay;
  let metrics: ServiceMetrics;
  const outbox = createOutboxStore(getModels(database.connection));
  try {
    models = getModels(database.connection);
    await ensureIndexes(models);
    instances = createInstanceRegistry(models, logger);
    await instances.start();
    if (config.seedDemo) {
      const seed = await seedDemoData(models);
      if (seed.seeded) logger.warn({ coopId: seed.coopId, production: config.isProduction }, 'empty database: demo cooperative seeded (made-up data, member PIN 1234)');
    } else if (!(await models.Coop.exists({}))) {
      logger.warn('no cooperative yet: create the first one with `npm run coop:create` (see README)');
    }
    // Channels first: the dispatcher wakes their delivery workers when it stores replies.
    let handle: ChatService['handle'] = () => Promise.reject(new Error('the chat service is not ready'));
    let renderNotice: ChatService['renderNotice'] = () => {
      throw new Error('the chat service is not ready');
    };
    channels = createChannels({ config, models, outbox, instances, logger, handle: (message) => handle(message), renderNotice: (reply, options) => renderNotice(reply, options) });
    metrics = createServiceMetrics({ models, ...(channels.whatsapp ? { whatsapp: channels.whatsapp } : {}) });
    const relay = createOrderNoticeRelay({ models, renderNotice: (reply, options) => renderNotice(reply, options), routeFor: channels.routeFor, wake: channels.wake, logger });
    notices = relay;
    const staffChat = createStaffChat({ models, onNoticesStored: () => relay.wake() });
    chat = await createChatService({ models, logger, instances, onOutboxWritten: channels.wake, staffChat });
    handle = metrics.instrument(chat.handle);
    renderNotice = chat.renderNotice;
    const limiter = await createSignInLimiter(models);
    const routers = [
      createAdminRouter({ models, outbox, adminToken: config.adminToken, limiter, logger, onNoticesStored: () => relay.wake(), onCatalogChanged: (coopId) => chat.refreshCatalog(coopId), timeZone: config.timeZone, ...(channels.whatsapp ? { whatsapp: channels.whatsapp } : {}) }),
      createDashboardRouter(),
      createQrCodeRouter(models),
      createMetricsRouter(metrics, [config.adminToken, ...(config.metricsToken ? [config.metricsToken] : [])], limiter),
      createSimulatorRouter({ handle, resolveCoopId: (slug) => resolveCoopId(models, slug), access: requireLocalOrAdmin(config.adminToken) }),
    ];
    const app = createApp({ logger, databaseLane: database.lane, databaseHealth: () => database.health(), routers, webhookRouters: channels.routers });
    server = await listen(app, config.port);
    await channels.start();
    relay.start();
  } catch (error) {
    await database.close();
    throw error;
  }
  const chatService = chat;
  const serviceMetrics = metrics;
  const jobs = createJobRunner([createExpireCartsJob(), createDailyRecapJob(), createUnconfirmedOrdersJob(), createLowStockJob(), createWajibReminderJob(), createOutboxSweepJob()], {
    leases: createJobLeases(models, instances.id),
    logger,
    context: () => ({ models, logger, drafting: { renderNotice: chatService.renderNotice, routeFor: channels.routeFor, logger }, wake: channels.wake }),
    onRun: (job, outcome) => serviceMetrics.jobRan(job, outcome),
  });
  if (options.schedule !== false) jobs.start();
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, env: config.nodeEnv, startupMs: Math.round(process.uptime() * 1000) }, 'KDMP Chat is ready');

  let stopping: Promise<void> | undefined;
  const httpServer = server;
  const noticeRelay = notices;
  return {
    config,
    logger,
    database,
    models,
    chat,
    outbox,
    instances,
    channels,
    notices: noticeRelay,
    jobs,
    port,
    stop() {
      stopping ??= (async () => {
        // Order matters: stop taking requests, let in-flight ones finish, then close the database.
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        await closed;
        await jobs.stop();
        await noticeRelay.stop();
        // Sends in flight finish; what is still pending stays in the outbox for the next start.
        await channels.stop();
        await instances.stop();
        await database.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

/** The simulator's cooperative: the one named, else the only (or first) one. */
async function resolveCoopId(models: Models, slug: string | undefined): Promise<string | undefined> {
  const coop = slug
    ? await models.Coop.findOne({ slug }, { _id: 1 }).lean()
    : await models.Coop.findOne({}, { _id: 1 }).sort({ createdAt: 1 }).lean();
  return coop?._id;
}

function listen(app: ReturnType<typeof createApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    // express 5 hands a listen error (e.g. EADDRINUSE) to this callback.
    const server = app.listen(port, (error?: Error) => (error ? reject(new Error(`HTTP port ${port} is not available`, { cause: error })) : resolve(server)));
  });
}

async function runFromCommandLine(): Promise<void> {
  // A local .env is a convenience for development; real deployments export variables.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let service: RunningService;
  try {
    service = await start(process.env, { onFatal: () => process.exit(1) });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
    } else {
      console.error(`KDMP Chat failed to start: ${describeStartError(error)}`);
    }
    process.exit(1);
  }
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    // Ctrl-C under `npm start` arrives twice (the terminal's and npm's): the second must not cut the first short.
    if (shuttingDown) {
      service.logger.info({ signal }, 'already shutting down');
      return;
    }
    shuttingDown = true;
    service.logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      service.logger.error('shutdown took too long, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    service.stop().then(
      () => process.exit(0),
      (error) => {
        service.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** The start-up error and its causes, one line: what went wrong, not a stack. */
function describeStartError(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) parts.push(current.message);
  return parts.length > 0 ? parts.join(': ') : String(error);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runFromCommandLine();
}
