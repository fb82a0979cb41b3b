/**
 * Chaos run, the way reviewers test us: the whole service runs as a child process and is
 * killed with SIGKILL at random moments while residents order by SMS through the Android
 * gateway's signed webhooks, with the gateway app's redeliveries (a failed webhook is sent
 * again, same event id, until it is answered 200; ~10% of answered ones are sent once more
 * later). A fake "SMS Gateway for Android" takes the replies (409 for an id it already has,
 * like the real app) and reports them delivered. At the end the outbox must drain and:
 *   1. every acknowledged "ya" placed exactly one order, no other message placed one;
 *   2. every acknowledged message was processed once and has its reply in the outbox;
 *   3. every outbox item was sent and the phone took each id exactly once;
 *   4. each resident's replies reached the phone in the order they were written.
 * Exits 1 when an invariant fails, printing the cases.
 *
 *   npm run bench:chaos [-- --kills 100 --residents 40 --redeliver 0.1 --gateway-errors 0.02
 *                          --min-gap 500 --max-gap 3000 --max-minutes 15 --settle-seconds 300 --seed 7
 *                          --no-reports --keep]
 *
 * Time bound: killing stops after --max-minutes minus 3 minutes (fewer kills are reported as
 * such); then residents finish their conversations (at most 2 min), duplicates land (at most
 * 1 min) and the outbox drains (at most --settle-seconds). --kills 20 is a quick run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MongoClient, type ObjectId } from 'mongodb';
import { messageKey } from '../src/db/inbound-log.js';
import { demoCoop } from '../src/demo/coop.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const GATEWAY_API_PATH = '/3rdparty/v1';
const GATEWAY_LOGIN = 'chaos-gateway';
const GATEWAY_PASSWORD = 'chaos-gateway-password';
const SIGNING_KEY = `chaos-signing-${randomBytes(8).toString('hex')}`;
const ADMIN_TOKEN = randomBytes(16).toString('hex'); // 32 characters
const COOP = demoCoop;

/** What each conversation orders (each checked by hand in the simulator: cart, pickup, COD, confirm). */
const ITEMS = [
  { text: 'pesan gula 1 kg', quantity: 1, unit: 'kg' },
  { text: 'pesan beras 2 kg', quantity: 2, unit: 'kg' },
  { text: 'pesan mie 3 bungkus', quantity: 3, unit: 'bungkus' },
  { text: 'pesan minyak 1 liter', quantity: 1, unit: 'liter' },
] as const;
/** Pick up at the outlet, cash on delivery, confirm. */
const FOLLOW_UPS = ['1', '1', 'ya'] as const;

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '100' },
    residents: { type: 'string', default: '40' },
    redeliver: { type: 'string', default: '0.1' },
    'gateway-errors': { type: 'string', default: '0.02' },
    'min-gap': { type: 'string', default: '500' },
    'max-gap': { type: 'string', default: '3000' },
    'max-minutes': { type: 'string', default: '15' },
    'settle-seconds': { type: 'string', default: '300' },
    seed: { type: 'string' },
    'no-reports': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const options = {
  kills: readNumber('kills', 0),
  residents: readNumber('residents', 1),
  redeliver: readNumber('redeliver', 0, 1),
  gatewayErrors: readNumber('gateway-errors', 0, 0.5),
  minGapMs: readNumber('min-gap', 0),
  maxGapMs: readNumber('max-gap', 0),
  maxMinutes: readNumber('max-minutes', 1),
  settleSeconds: readNumber('settle-seconds', 5),
  seed: values.seed === undefined ? randomBytes(4).readUInt32LE() : Number(values.seed),
  reports: !values['no-reports'],
  keep: values.keep!,
};
if (options.maxGapMs < options.minGapMs) fail('--max-gap must not be below --min-gap');

function readNumber(name: keyof typeof values, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < min || value > max) fail(`--${name} must be a number between ${min} and ${max}`);
  return value;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------
// Small primitives

/** Seeded, so a run's choices (not its timing) can be replayed with --seed. */
const random = createRandom(options.seed);
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const between = (min: number, max: number) => min + random() * (max - min);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)}s`;

/** A port free now (the service must keep the same ports across restarts). */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Everything that went wrong, by invariant; printed at the end. */
const failures = new Map<string, string[]>();
function recordFailure(invariant: string, detail: string): void {
  const list = failures.get(invariant) ?? [];
  list.push(detail);
  failures.set(invariant, list);
}

const stats = {
  messages: 0,
  acknowledged: 0,
  /** Webhook posts that failed (refused, reset, 5xx, timeout) and were sent again. */
  failedPosts: 0,
  failedPostsByReason: new Map<string, number>(),
  /** Extra deliveries of messages already answered 200 (the app's duplicates). */
  duplicateDeliveries: 0,
  duplicateDeliveriesAnsweredProcessed: 0,
  reportsSent: 0,
  kills: 0,
  restartMs: [] as number[],
  /** Resident messages answered 200: from the post to the answer. */
  answerMs: [] as number[],
  unexpectedExits: 0,
};

/** Figures read from the database at the end. */
const report = { orders: 0, outboxItems: 0, delivered: 0, reportsLost: [] as string[], sendsAfterCrash: 0, failedClaims: 0, drain: { items: 0, seconds: 0 } };

// ---------------------------------------------------------------------------------------
// The fake Android phone: takes replies (POST <base>/message), refuses an id twice (409)

interface AcceptedSms {
  id: string;
  to: string;
  text: string;
  /** Position among all accepted messages (the order the phone took them in). */
  seq: number;
  at: number;
}

interface FakeGateway {
  baseUrl: string;
  accepted: Map<string, AcceptedSms>;
  /** Sends answered 409: repeats of an id the phone already had (a crash lost the first answer). */
  conflicts: Map<string, number>;
  injectedErrors: number;
  refused: string[];
  close(): Promise<void>;
}

async function startFakeGateway(onAccepted: (sms: AcceptedSms) => void): Promise<FakeGateway> {
  const expectedAuth = `Basic ${Buffer.from(`${GATEWAY_LOGIN}:${GATEWAY_PASSWORD}`).toString('base64')}`;
  const accepted = new Map<string, AcceptedSms>();
  const conflicts = new Map<string, number>();
  const refused: string[] = [];
  let injectedErrors = 0;
  let seq = 0;
  const answer = (res: ServerResponse, status: number, body: unknown, delayMs = 0) => {
    const send = () => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  };
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    res.on('error', () => undefined);
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('error', () => undefined);
    req.on('end', () => {
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== `${GATEWAY_API_PATH}/message`) {
        refused.push(`${req.method} ${req.url}`);
        return answer(res, 404, { message: 'not found' });
      }
      if (req.headers.authorization !== expectedAuth) {
        refused.push(`bad credentials: ${String(req.headers.authorization).slice(0, 20)}…`);
        return answer(res, 401, { message: 'unauthorized' });
      }
      let body: { id?: unknown; message?: unknown; phoneNumbers?: unknown };
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        refused.push('body is not JSON');
        return answer(res, 400, { message: 'invalid JSON' });
      }
      const { id, message, phoneNumbers } = body;
      if (typeof id !== 'string' || typeof message !== 'string' || !Array.isArray(phoneNumbers) || phoneNumbers.length !== 1 || typeof phoneNumbers[0] !== 'string') {
        refused.push(`unexpected body ${raw.slice(0, 120)}`);
        return answer(res, 400, { message: 'invalid body' });
      }
      // The phone is busy now and then: the outbox must retry without losing order.
      if (random() < options.gatewayErrors) {
        injectedErrors++;
        return answer(res, 503, { message: 'device busy' });
      }
      if (accepted.has(id)) {
        conflicts.set(id, (conflicts.get(id) ?? 0) + 1);
        return answer(res, 409, { message: 'Message with the same ID already exists' });
      }
      const sms: AcceptedSms = { id, to: phoneNumbers[0], text: message, seq: seq++, at: Date.now() };
      accepted.set(id, sms);
      onAccepted(sms);
      // Taken before the answer leaves: a kill in between loses the answer, not the SMS.
      const state = { id, state: 'Pending', recipients: [{ phoneNumber: sms.to, state: 'Pending' }] };
      answer(res, 202, state, random() < 0.5 ? 0 : between(1, 40));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${GATEWAY_API_PATH}`,
    accepted,
    conflicts,
    get injectedErrors() {
      return injectedErrors;
    },
    refused,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------
// The service as a child process, killed and restarted on the same data directory

interface ServiceControl {
  base: string;
  mongoPort: number;
  logFile: string;
  life(): number;
  /** When the current life first answered /healthz. */
  upSince(): number;
  /** Resolves when the service answers /healthz (at once when it is up). */
  whenUp(): Promise<void>;
  start(): Promise<number>;
  killHard(): Promise<void>;
  stop(): Promise<number | null>;
}

function createServiceControl(env: NodeJS.ProcessEnv, port: number, mongoPort: number, logFile: string): ServiceControl {
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  let life = 0;
  let upSince = 0;
  let expectingExit = false;
  let up!: Promise<void>;
  let markUp!: () => void;
  const markDown = () => {
    up = new Promise((resolve) => (markUp = resolve));
  };
  markDown();

  async function start(): Promise<number> {
    const began = Date.now();
    life++;
    const fd = openSync(logFile, 'a');
    writeSync(fd, `{"chaos":"life ${life} starting","at":"${new Date().toISOString()}"}\n`);
    const spawned = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child = spawned;
    expectingExit = false;
    exited = new Promise((resolve) =>
      spawned.once('exit', (code, signal) => {
        if (!expectingExit && child === spawned) {
          // Nobody killed it: the service died by itself (a finding, not chaos).
          stats.unexpectedExits++;
          markDown();
          recordFailure('service stays up between kills', `life ${life} (pid ${spawned.pid}) exited by itself: code ${code} signal ${signal} at ${elapsed()}`);
          void start().catch((error: unknown) => console.error(`restart after an unexpected exit failed: ${String(error)}`));
        }
        resolve({ code, signal });
      }),
    );
    const deadline = Date.now() + 90_000;
    let gone = false;
    void exited.then(() => (gone = true));
    for (;;) {
      if (gone) throw new Error(`the service (life ${life}) exited during start-up; see ${logFile}`);
      if (Date.now() > deadline) throw new Error(`the service (life ${life}) did not answer /healthz within 90 s; see ${logFile}`);
      try {
        const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1_000) });
        if (response.ok) break;
      } catch {
        // Not listening yet.
      }
      await sleep(50);
    }
    upSince = Date.now();
    markUp();
    return upSince - began;
  }

  async function killHard(): Promise<void> {
    if (!child || !exited) return;
    expectingExit = true;
    markDown();
    lifeRecord(life).upMs = Date.now() - upSince;
    child.kill('SIGKILL');
    await exited;
  }

  async function stop(): Promise<number | null> {
    if (!child || !exited) return null;
    expectingExit = true;
    markDown();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
    const { code } = await exited;
    clearTimeout(timer);
    return code;
  }

  return { base, mongoPort, logFile, life: () => life, upSince: () => upSince, whenUp: () => up, start, killHard, stop };
}

// ---------------------------------------------------------------------------------------
// Webhooks as the app sends them: signed, retried with the same event id until answered 200

/** Headers the app signs a webhook with: hex HMAC-SHA256 over the raw body followed by the timestamp. */
function signWebhook(rawBody: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', SIGNING_KEY).update(rawBody).update(timestamp).digest('hex');
  return { 'content-type': 'application/json', 'x-timestamp': timestamp, 'x-signature': signature };
}

function smsReceivedBody(eventId: string, from: string, text: string): string {
  return JSON.stringify({
    deviceId: 'chaos-device-0001',
    event: 'sms:received',
    id: eventId,
    webhookId: 'chaos-webhook-received',
    payload: { messageId: `content-${createHmac('sha1', 'x').update(text).digest('hex').slice(0, 8)}`, message: text, phoneNumber: from, simNumber: 1, receivedAt: new Date().toISOString() },
  });
}

function smsDeliveredBody(eventId: string, sms: AcceptedSms): string {
  return JSON.stringify({
    deviceId: 'chaos-device-0001',
    event: 'sms:delivered',
    id: eventId,
    webhookId: 'chaos-webhook-delivered',
    payload: { messageId: sms.id, phoneNumber: sms.to, simNumber: 1, deliveredAt: new Date().toISOString() },
  });
}

/** Per life: resident messages (sms:received) answered 200, and the first such answer after /healthz. */
const lives = new Map<number, { answered: number; answerMs: number[]; firstAnswerMs?: number; upMs?: number }>();
function lifeRecord(life: number) {
  let record = lives.get(life);
  if (!record) lives.set(life, (record = { answered: 0, answerMs: [] }));
  return record;
}

/** A resident's message was answered: how soon after a restart, and how fast. */
function noteAnswer(service: ServiceControl, life: number, postedAt: number): void {
  const record = lifeRecord(life);
  record.answered++;
  record.firstAnswerMs ??= Date.now() - service.upSince();
  record.answerMs.push(Date.now() - postedAt);
  stats.answerMs.push(Date.now() - postedAt);
}

interface Delivery {
  outcome: string;
  /** Posts it took (1 when the first was answered 200). */
  posts: number;
}

/** Posts one webhook until the service answers 200, as the app does (its 10 s, 20 s, ... backoff shortened). */
async function deliverUntilAcknowledged(service: ServiceControl, makeBody: () => string, label: string, kind: 'message' | 'report'): Promise<Delivery | undefined> {
  for (let posts = 1; ; posts++) {
    await service.whenUp();
    const body = makeBody();
    const life = service.life();
    const postedAt = Date.now();
    let reason: string;
    try {
      const response = await fetch(`${service.base}/webhooks/sms-gateway/${COOP.slug}`, { method: 'POST', headers: signWebhook(body), body, signal: AbortSignal.timeout(30_000) });
      const text = await response.text();
      if (response.status === 200) {
        if (kind === 'message') noteAnswer(service, life, postedAt);
        const outcome = (JSON.parse(text) as { outcome?: string }).outcome ?? '?';
        return { outcome, posts };
      }
      if (response.status < 500) {
        // A refusal the app would not retry: the harness or the service is wrong.
        recordFailure('webhooks are accepted', `${label}: HTTP ${response.status} ${text.slice(0, 200)}`);
        return undefined;
      }
      reason = `HTTP ${response.status}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      reason = (error as Error).name === 'TimeoutError' ? 'timeout' : (cause?.code ?? (error as Error).message);
    }
    stats.failedPosts++;
    stats.failedPostsByReason.set(reason, (stats.failedPostsByReason.get(reason) ?? 0) + 1);
    await sleep(between(100, 300));
  }
}

// ---------------------------------------------------------------------------------------
// Residents

interface SentMessage {
  from: string;
  conversation: number;
  step: number;
  text: string;
  eventId: string;
  key: string;
  acknowledged: boolean;
  outcome?: string;
  posts: number;
}

interface ConversationRecord {
  from: string;
  index: number;
  item: (typeof ITEMS)[number];
  messages: SentMessage[];
}

const runId = randomBytes(3).toString('hex');
const messages: SentMessage[] = [];
const conversations: ConversationRecord[] = [];
/** The app's later duplicates, and its delivery reports: both keep retrying until answered. */
const redeliveries = new Set<Promise<unknown>>();
const reports = new Set<Promise<unknown>>();
const duplicateOutcomes: Array<{ message: SentMessage; outcome: string | undefined }> = [];
/** Delivery reports answered 200, by outbox id: when, and with what outcome. */
const acknowledgedReports = new Map<string, { at: number; outcome: string }>();

function track(set: Set<Promise<unknown>>, promise: Promise<unknown>): void {
  set.add(promise);
  void promise.finally(() => set.delete(promise));
}

function residentPhone(index: number): string {
  return `+6281377${String(index + 1).padStart(6, '0')}`;
}

async function runResident(service: ServiceControl, resident: number, shouldStop: () => boolean): Promise<void> {
  const from = residentPhone(resident);
  for (let index = 0; !shouldStop(); index++) {
    const item = ITEMS[Math.floor(random() * ITEMS.length)];
    const record: ConversationRecord = { from, index, item, messages: [] };
    conversations.push(record);
    // A conversation once started is finished, so every "ya" ends in a known state.
    for (const [step, text] of [item.text, ...FOLLOW_UPS].entries()) {
      const eventId = `chaos-${runId}-${resident}-${index}-${step}`;
      const message: SentMessage = { from, conversation: index, step, text, eventId, key: messageKey({ channel: 'sms', from, providerMessageId: eventId }), acknowledged: false, posts: 0 };
      record.messages.push(message);
      messages.push(message);
      stats.messages++;
      const delivery = await deliverUntilAcknowledged(service, () => smsReceivedBody(eventId, from, text), `${from} "${text}" (${eventId})`, 'message');
      if (!delivery) return;
      message.acknowledged = true;
      message.outcome = delivery.outcome;
      message.posts = delivery.posts;
      stats.acknowledged++;
      if (random() < options.redeliver) track(redeliveries, redeliverLater(service, message));
      // A resident reads the reply before answering.
      await sleep(between(50, 800));
    }
  }
}

/** The app delivers an answered message once more, some time later: it must change nothing. */
async function redeliverLater(service: ServiceControl, message: SentMessage): Promise<void> {
  await sleep(between(200, 15_000));
  stats.duplicateDeliveries++;
  const delivery = await deliverUntilAcknowledged(service, () => smsReceivedBody(message.eventId, message.from, message.text), `duplicate of ${message.eventId}`, 'message');
  duplicateOutcomes.push({ message, outcome: delivery?.outcome });
  if (delivery?.outcome === 'processed') stats.duplicateDeliveriesAnsweredProcessed++;
}

/** The phone reports each SMS delivered a moment after taking it, retried like any webhook. */
function reportDelivered(service: ServiceControl, sms: AcceptedSms): void {
  track(
    reports,
    (async () => {
      await sleep(between(300, 1_500));
      stats.reportsSent++;
      const delivery = await deliverUntilAcknowledged(service, () => smsDeliveredBody(`report-${sms.id}`, sms), `delivery report ${sms.id}`, 'report');
      if (delivery) acknowledgedReports.set(sms.id, { at: Date.now(), outcome: delivery.outcome });
    })(),
  );
}

// ---------------------------------------------------------------------------------------
// The run

const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-chaos-'));
const logFile = join(dataDir, 'service.log');
let serviceRef: ServiceControl | undefined;
const gateway = await startFakeGateway((sms) => {
  if (options.reports && serviceRef) reportDelivered(serviceRef, sms);
});
const port = await findFreePort();
let mongoPort = await findFreePort();
while (mongoPort === port) mongoPort = await findFreePort();
const service = createServiceControl(
  {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    NODE_ENV: 'test',
    PORT: String(port),
    EMBEDDED_MONGO_PORT: String(mongoPort),
    DATA_DIR: join(dataDir, 'data'),
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN,
    TZ: 'Asia/Jakarta',
    SMS_GATEWAY_URL: gateway.baseUrl,
    SMS_GATEWAY_LOGIN: GATEWAY_LOGIN,
    SMS_GATEWAY_PASSWORD: GATEWAY_PASSWORD,
    SMS_GATEWAY_SIGNING_KEY: SIGNING_KEY,
  },
  port,
  mongoPort,
  logFile,
);
serviceRef = service;
const mongoUri = `mongodb://127.0.0.1:${mongoPort}/kdmp?directConnection=true`;

console.log(
  `chaos run ${runId}: ${options.kills} kills, ${options.residents} residents, redeliver ${options.redeliver}, gateway errors ${options.gatewayErrors}, ` +
    `gap ${options.minGapMs}-${options.maxGapMs} ms, seed ${options.seed}, at most ${options.maxMinutes} min`,
);
console.log(`data and log: ${dataDir}`);

const firstStartMs = await service.start();
console.log(`service up in ${firstStartMs} ms (HTTP ${port}, database ${mongoPort})`);
await topUpStock();

let stopResidents = false;
const residents = Array.from({ length: options.residents }, (_, resident) => runResident(service, resident, () => stopResidents));

// Killing stops early enough to leave time for the residents to finish and the outbox to drain.
const killBudgetMs = Math.max(30_000, options.maxMinutes * 60_000 - 180_000);
let abortReason: string | undefined;
for (let kill = 1; kill <= options.kills; kill++) {
  if (Date.now() - startedAt > killBudgetMs) {
    abortReason = `time budget reached after ${stats.kills} kills`;
    break;
  }
  await sleep(between(options.minGapMs, options.maxGapMs));
  await service.whenUp();
  const killedLife = service.life();
  await service.killHard();
  stats.kills++;
  let restartMs: number;
  try {
    restartMs = await service.start();
  } catch (error) {
    recordFailure('the service restarts after a kill', `${(error as Error).message}\n${tailOfLog(20)}`);
    abortReason = `the service did not come back after kill ${kill}`;
    break;
  }
  stats.restartMs.push(restartMs);
  const lived = lifeRecord(killedLife);
  const answers = [...lived.answerMs].sort((a, b) => a - b);
  console.log(
    `[${elapsed()}] kill ${kill}/${options.kills} after ${lived.upMs} ms up, ${lived.answered} answered (median ${answers[Math.floor(answers.length / 2)] ?? '-'} ms), ` +
      `back in ${restartMs} ms, load ${loadavg()[0].toFixed(1)}; messages ${stats.messages}, acknowledged ${stats.acknowledged}, ` +
      `failed posts ${stats.failedPosts}, duplicates ${stats.duplicateDeliveries}, replies taken ${gateway.accepted.size}, 409s ${sum(gateway.conflicts.values())}`,
  );
}
if (abortReason) console.log(`killing stopped: ${abortReason}`);

stopResidents = true;
console.log(`[${elapsed()}] residents finish their conversations…`);
if (!failures.has('the service restarts after a kill')) {
  await withTimeout(Promise.all(residents), 120_000, 'residents did not finish within 120 s');
  await withTimeout(waitForAll(redeliveries), 60_000, 'duplicate deliveries did not finish within 60 s');
  console.log(`[${elapsed()}] settling: waiting for the outbox to drain…`);
  await settle();
  await runChecks();
}

const stopCode = await service.stop();
if (stopCode !== 0 && stopCode !== null) recordFailure('the service stops cleanly', `SIGTERM exit code ${stopCode}`);
await gateway.close();
printReport();
const failed = failures.size > 0;
if (failed || options.keep) {
  console.log(`kept for inspection: ${dataDir} (service log: ${logFile})`);
} else {
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// ---------------------------------------------------------------------------------------
// Helpers of the run

/** Thousands of orders would empty the demo shelves; a refused order is not what is tested here. */
async function topUpStock(): Promise<void> {
  const client = await MongoClient.connect(mongoUri);
  try {
    const result = await client.db('kdmp').collection('products').updateMany({ coopId: COOP._id }, { $set: { stock: 10_000_000 } });
    if (result.matchedCount === 0) throw new Error(`the demo cooperative ${COOP.slug} has no products: was it seeded?`);
  } finally {
    await client.close();
  }
}

async function waitForAll(set: Set<Promise<unknown>>): Promise<void> {
  while (set.size > 0) await Promise.all([...set]);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([promise, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)))]);
  clearTimeout(timer);
  if (result === 'timeout') {
    recordFailure('the run finishes', message);
    return undefined;
  }
  return result;
}

async function countOutbox(status: string): Promise<number> {
  const response = await fetch(`${service.base}/admin/api/outbox?status=${status}&limit=200`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET /admin/api/outbox answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return ((await response.json()) as { items: unknown[] }).items.length;
}

/** Waits until nothing is pending or sending and every delivery report was answered; measures the drain. */
async function settle(): Promise<void> {
  const began = Date.now();
  const takenAtStart = gateway.accepted.size;
  const deadline = began + options.settleSeconds * 1_000;
  let lastProgress = began;
  for (;;) {
    const pending = await countOutbox('pending');
    const sending = await countOutbox('sending');
    const seconds = (Date.now() - began) / 1_000;
    if (pending === 0 && sending === 0 && reports.size === 0) {
      report.drain = { items: gateway.accepted.size - takenAtStart, seconds };
      console.log(`[${elapsed()}] outbox drained: ${report.drain.items} replies sent in ${seconds.toFixed(1)} s`);
      return;
    }
    if (Date.now() > deadline) {
      recordFailure('the outbox drains', `after ${options.settleSeconds} s: ${pending} pending, ${sending} sending (200 means at least 200), ${reports.size} delivery reports still retrying`);
      return;
    }
    if (Date.now() - lastProgress >= 10_000) {
      lastProgress = Date.now();
      console.log(`[${elapsed()}]   phone took ${gateway.accepted.size - takenAtStart} replies in ${seconds.toFixed(0)} s; pending ${pending === 200 ? '>=200' : pending}, sending ${sending}`);
    }
    await sleep(500);
  }
}

interface OrderRow {
  _id: ObjectId;
  number: number;
  phone: string;
  sourceMessageKey?: string;
  items: Array<{ productId: string; quantity: number; unit: string }>;
  fulfilment: { method: string };
  payment: { method: string };
  createdAt: Date;
}

interface InboundRow {
  providerMessageId: string;
  from: string;
  status: string;
  owner?: string;
}

interface OutboxRow {
  _id: ObjectId;
  to: string;
  text: string;
  status: string;
  attempts: number;
  sourceMessageKey?: string;
  providerMessageId?: string;
  sentBy?: string;
  sentAt?: Date;
  createdAt: Date;
}

async function runChecks(): Promise<void> {
  // What the phone had taken when the outbox was drained: nothing may come after.
  const acceptedAtSnapshot = gateway.accepted.size;
  const client = await MongoClient.connect(mongoUri);
  try {
    const db = client.db('kdmp');
    const phones = [...new Set(conversations.map((record) => record.from))];
    const orders = (await db.collection('orders').find({ coopId: COOP._id, phone: { $in: phones } }).toArray()) as unknown as OrderRow[];
    const inbound = (await db.collection('inbound_messages').find({ coopId: COOP._id, channel: 'sms', from: { $in: phones } }).toArray()) as unknown as InboundRow[];
    const outbox = (await db.collection('outbox').find({ coopId: COOP._id, to: { $in: phones } }).sort({ createdAt: 1, _id: 1 }).toArray()) as unknown as OutboxRow[];
    checkOrders(orders);
    checkInbound(inbound, outbox);
    checkOutbox(outbox);
    checkReplyOrder(outbox);
    report.orders = orders.length;
    report.outboxItems = outbox.length;
    report.delivered = outbox.filter((item) => item.status === 'delivered').length;
    // A report answered 200 that left its item 'sent' was dropped: say when it came and when the send was recorded.
    report.reportsLost = outbox.flatMap((item) => {
      const id = item._id.toHexString();
      const answered = acknowledgedReports.get(id);
      if (item.status !== 'sent' || !answered) return [];
      const sms = gateway.accepted.get(id);
      return [
        `${id}: phone took it ${sms ? new Date(sms.at).toISOString() : '?'}, report answered '${answered.outcome}' ${new Date(answered.at).toISOString()}, ` +
          `send recorded ${item.sentAt?.toISOString() ?? '?'} after ${item.attempts} claims, 409s ${gateway.conflicts.get(id) ?? 0}`,
      ];
    });
    report.sendsAfterCrash = outbox.filter((item) => item.attempts > 1).length;
    report.failedClaims = inbound.filter((doc) => doc.status === 'failed').length;
  } finally {
    await client.close();
  }
  await sleep(1_000);
  if (gateway.accepted.size !== acceptedAtSnapshot) recordFailure('3. every reply sent exactly once', `${gateway.accepted.size - acceptedAtSnapshot} SMS taken after the outbox was drained`);
}

/** 1. Exactly one order per acknowledged "ya", none from any other message, each with what was asked. */
function checkOrders(orders: OrderRow[]): void {
  const invariant = '1. one order per acknowledged "ya", never a second';
  const byKey = new Map<string, OrderRow[]>();
  for (const order of orders) {
    const key = order.sourceMessageKey ?? '(none)';
    byKey.set(key, [...(byKey.get(key) ?? []), order]);
  }
  const messagesByKey = new Map(messages.map((message) => [message.key, message]));
  const yaKeys = new Set<string>();
  for (const record of conversations) {
    const ya = record.messages[FOLLOW_UPS.length];
    if (!ya?.acknowledged) continue;
    yaKeys.add(ya.key);
    const placed = byKey.get(ya.key) ?? [];
    if (placed.length !== 1) {
      recordFailure(invariant, `${record.from} conversation ${record.index} ("${record.item.text}"): ${placed.length} orders for its acknowledged "ya" ${ya.eventId} (outcome ${ya.outcome}, ${ya.posts} posts) ${describeOrders(placed)}`);
      continue;
    }
    const [order] = placed;
    const [line] = order.items;
    if (order.items.length !== 1 || line.quantity !== record.item.quantity || line.unit !== record.item.unit || order.fulfilment.method !== 'pickup' || order.payment.method !== 'cod') {
      recordFailure(invariant, `${record.from} conversation ${record.index} asked "${record.item.text}", pickup, COD; order #${order.number} holds ${JSON.stringify(order.items)} ${order.fulfilment.method} ${order.payment.method}`);
    }
  }
  for (const [key, placed] of byKey) {
    if (yaKeys.has(key)) continue;
    const cause = messagesByKey.get(key);
    recordFailure(invariant, `${placed.length} order(s) ${describeOrders(placed)} placed by ${cause ? `"${cause.text}" (${cause.eventId})` : `unknown message key ${key}`}`);
  }
  const yaPerPhone = new Map<string, number>();
  for (const key of yaKeys) {
    const from = messagesByKey.get(key)!.from;
    yaPerPhone.set(from, (yaPerPhone.get(from) ?? 0) + 1);
  }
  const ordersPerPhone = new Map<string, number>();
  for (const order of orders) ordersPerPhone.set(order.phone, (ordersPerPhone.get(order.phone) ?? 0) + 1);
  for (const [phone, count] of ordersPerPhone) {
    const allowed = yaPerPhone.get(phone) ?? 0;
    if (count > allowed) recordFailure(invariant, `${phone}: ${count} orders for ${allowed} acknowledged "ya"`);
  }
}

function describeOrders(orders: OrderRow[]): string {
  return orders.map((order) => `#${order.number} (${order._id.toHexString()}, ${order.createdAt.toISOString()})`).join(', ');
}

/** 2. Every acknowledged message was processed (once) and answered. */
function checkInbound(inbound: InboundRow[], outbox: OutboxRow[]): void {
  const invariant = '2. every acknowledged message processed and answered';
  const claims = new Map(inbound.map((doc) => [`${doc.from}|${doc.providerMessageId}`, doc]));
  const repliesByKey = new Map<string, OutboxRow[]>();
  for (const item of outbox) {
    if (!item.sourceMessageKey) continue;
    repliesByKey.set(item.sourceMessageKey, [...(repliesByKey.get(item.sourceMessageKey) ?? []), item]);
  }
  for (const message of messages) {
    if (!message.acknowledged) {
      recordFailure(invariant, `${message.eventId} ("${message.text}") was never acknowledged`);
      continue;
    }
    const claim = claims.get(`${message.from}|${message.eventId}`);
    const replies = repliesByKey.get(message.key) ?? [];
    if (!claim) {
      recordFailure(invariant, `${message.from} "${message.text}" (${message.eventId}, outcome ${message.outcome}) acknowledged but not in inbound_messages`);
    } else if (claim.status !== 'processed' && claim.status !== 'failed') {
      recordFailure(invariant, `${message.from} "${message.text}" (${message.eventId}, outcome ${message.outcome}) acknowledged but its claim is '${claim.status}' (owner ${claim.owner})`);
    }
    if (replies.length === 0) {
      recordFailure(invariant, `${message.from} "${message.text}" (${message.eventId}, outcome ${message.outcome}, claim ${claim?.status}) acknowledged but has no reply in the outbox`);
      continue;
    }
    // One turn writes all its replies with one time: two times mean the message was handled twice.
    const turns = new Set(replies.map((item) => item.createdAt.getTime()));
    if (turns.size > 1) recordFailure(invariant, `${message.from} "${message.text}" (${message.eventId}) was answered by ${turns.size} turns: ${replies.map((item) => `${item._id.toHexString()} "${firstLine(item.text)}"`).join(', ')}`);
  }
  for (const { message, outcome } of duplicateOutcomes) {
    if (outcome !== 'duplicate') recordFailure(invariant, `a duplicate delivery of ${message.eventId} ("${message.text}"), already answered 200, was answered '${outcome}'`);
  }
}

/** 3. Every item sent; the phone took each id once, with the item's text and recipient, and nothing else. */
function checkOutbox(outbox: OutboxRow[]): void {
  const invariant = '3. every reply sent exactly once';
  const ids = new Set<string>();
  for (const item of outbox) {
    const id = item._id.toHexString();
    ids.add(id);
    if (item.status !== 'sent' && item.status !== 'delivered') recordFailure(invariant, `outbox ${id} to ${item.to} is '${item.status}' after ${item.attempts} attempts ("${firstLine(item.text)}")`);
    const sms = gateway.accepted.get(id);
    if (!sms) {
      recordFailure(invariant, `outbox ${id} to ${item.to} ('${item.status}', ${item.attempts} attempts) never reached the phone`);
      continue;
    }
    if (sms.to !== item.to || sms.text !== item.text) recordFailure(invariant, `outbox ${id}: the phone took "${firstLine(sms.text)}" to ${sms.to}, the outbox holds "${firstLine(item.text)}" to ${item.to}`);
    if (item.providerMessageId !== undefined && item.providerMessageId !== id) recordFailure(invariant, `outbox ${id} records provider id ${item.providerMessageId}`);
  }
  for (const sms of gateway.accepted.values()) {
    if (!ids.has(sms.id)) recordFailure(invariant, `the phone took ${sms.id} to ${sms.to} ("${firstLine(sms.text)}"), which is not an outbox item`);
  }
  for (const refusal of gateway.refused) recordFailure(invariant, `the phone refused a request: ${refusal}`);
}

/** 4. Per resident, the phone took the replies in the order they were written (the turn's time, then id, as the worker orders them). */
function checkReplyOrder(outbox: OutboxRow[]): void {
  const invariant = '4. replies reach each resident in the order written';
  const byPhone = new Map<string, OutboxRow[]>();
  for (const item of outbox) byPhone.set(item.to, [...(byPhone.get(item.to) ?? []), item]);
  for (const [phone, items] of byPhone) {
    const written = items.map((item) => item._id.toHexString());
    const taken = items
      .filter((item) => gateway.accepted.has(item._id.toHexString()))
      .sort((a, b) => gateway.accepted.get(a._id.toHexString())!.seq - gateway.accepted.get(b._id.toHexString())!.seq)
      .map((item) => item._id.toHexString());
    const writtenTaken = written.filter((id) => gateway.accepted.has(id));
    const at = writtenTaken.findIndex((id, index) => taken[index] !== id);
    if (at >= 0) {
      const show = (id: string) => `${id} "${firstLine(items.find((item) => item._id.toHexString() === id)?.text ?? '')}"`;
      recordFailure(invariant, `${phone}: reply ${at + 1} of ${writtenTaken.length} written ${show(writtenTaken[at])}, phone took ${show(taken[at])} first`);
    }
    // One resident's turns run one after another, so their ids must rise with their times too.
    for (let index = 1; index < items.length; index++) {
      if (items[index]._id.toHexString() < items[index - 1]._id.toHexString()) {
        recordFailure(invariant, `${phone}: outbox ${items[index]._id.toHexString()} was written after ${items[index - 1]._id.toHexString()} but has a smaller id`);
      }
    }
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}

function sum(numbers: Iterable<number>): number {
  let total = 0;
  for (const number of numbers) total += number;
  return total;
}

function tailOfLog(lines: number): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Warnings and errors the service logged across all its lives, by message. */
function summariseLog(): Array<{ level: string; msg: string; count: number; example: string }> {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return [];
  }
  const groups = new Map<string, { level: string; msg: string; count: number; example: string }>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) {
      if (line.trim() === '') continue;
      const key = `stderr|${line.slice(0, 80)}`;
      const group = groups.get(key) ?? { level: 'stderr', msg: line.slice(0, 120), count: 0, example: line.slice(0, 300) };
      group.count++;
      groups.set(key, group);
      continue;
    }
    let entry: { level?: number; msg?: string; chaos?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.chaos || entry.level === undefined || entry.level < 40) continue;
    const level = entry.level >= 60 ? 'fatal' : entry.level >= 50 ? 'error' : 'warn';
    const key = `${level}|${entry.msg}`;
    const group = groups.get(key) ?? { level, msg: entry.msg ?? '', count: 0, example: line.slice(0, 400) };
    group.count++;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

function printReport(): void {
  const describe = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);
    return `median ${at(50)} ms, p95 ${at(95)} ms, max ${sorted.at(-1) ?? 0} ms`;
  };
  const completed = conversations.filter((record) => record.messages[FOLLOW_UPS.length]?.acknowledged).length;
  console.log('\n=== chaos report ===');
  console.log(`elapsed               ${elapsed()}`);
  console.log(`kills (SIGKILL)       ${stats.kills}${stats.unexpectedExits ? `, plus ${stats.unexpectedExits} exits nobody asked for` : ''}`);
  console.log(`restart to /healthz   ${describe(stats.restartMs)}`);
  const killed = [...lives.values()].filter((life) => life.upMs !== undefined);
  const silent = killed.filter((life) => life.answered === 0);
  const firstAnswers = [...lives.values()].flatMap((life) => (life.firstAnswerMs === undefined ? [] : [life.firstAnswerMs]));
  console.log(`/healthz to 1st 200   ${describe(firstAnswers)} (first resident message answered in each life)`);
  console.log(`lives killed          ${killed.length}: up ${describe(killed.map((life) => life.upMs!))}`);
  console.log(`  answering nothing   ${silent.length}${silent.length ? ` (up ${describe(silent.map((life) => life.upMs!))})` : ''}`);
  console.log(`message answer time   ${describe(stats.answerMs)} (post to 200)`);
  console.log(`residents             ${options.residents}, conversations ${conversations.length} (${completed} completed)`);
  console.log(`messages              ${stats.messages}, acknowledged ${stats.acknowledged}`);
  console.log(`  answered processed  ${messages.filter((message) => message.outcome === 'processed').length}, answered duplicate ${messages.filter((message) => message.outcome === 'duplicate').length}`);
  console.log(`redeliveries          ${stats.failedPosts} posts failed and were sent again (${[...stats.failedPostsByReason].map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none'})`);
  console.log(`                      ${messages.filter((message) => message.posts > 1).length} messages needed more than one post`);
  console.log(`duplicate deliveries  ${stats.duplicateDeliveries} (answered processed: ${stats.duplicateDeliveriesAnsweredProcessed})`);
  console.log(`orders                ${report.orders}`);
  console.log(`outbox items          ${report.outboxItems}; phone took ${gateway.accepted.size}; 409 repeats ${sum(gateway.conflicts.values())} (ids ${gateway.conflicts.size}); injected 503s ${gateway.injectedErrors}`);
  console.log(`                      items claimed more than once ${report.sendsAfterCrash}; delivered ${report.delivered}; delivery reports sent ${stats.reportsSent}, answered 200 but item left 'sent' ${report.reportsLost.length}`);
  for (const example of report.reportsLost.slice(0, 3)) console.log(`                        e.g. ${example}`);
  console.log(`settling              ${report.drain.items} replies still queued when the residents stopped, sent in ${report.drain.seconds.toFixed(1)} s (${(report.drain.items / Math.max(report.drain.seconds, 0.001)).toFixed(0)}/s)`);
  console.log(`inbound claims failed ${report.failedClaims} (answered with the apology)`);
  const log = summariseLog();
  if (log.length > 0) {
    console.log('service log (warn and above, all lives):');
    for (const group of log.slice(0, 12)) console.log(`  ${String(group.count).padStart(6)} ${group.level.padEnd(6)} ${group.msg}`);
    for (const group of log.filter((entry) => entry.level !== 'warn').slice(0, 3)) console.log(`  e.g. ${group.example}`);
  }
  console.log('');
  const invariants = [
    '1. one order per acknowledged "ya", never a second',
    '2. every acknowledged message processed and answered',
    '3. every reply sent exactly once',
    '4. replies reach each resident in the order written',
  ];
  for (const name of [...invariants, ...[...failures.keys()].filter((name) => !invariants.includes(name))]) {
    const list = failures.get(name);
    console.log(`${list ? 'FAIL' : 'ok  '} ${name}${list ? ` (${list.length})` : ''}`);
    for (const detail of (list ?? []).slice(0, 20)) console.log(`       ${detail}`);
    if (list && list.length > 20) console.log(`       … and ${list.length - 20} more`);
  }
}
