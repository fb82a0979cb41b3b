/**
 * Webhook throughput: simulated residents each place an order by SMS through the signed
 * Twilio webhook of the whole service started in this process (HTTP, signature check,
 * dedupe claim, per-conversation lock, session, language, flow, outbox write, TwiML answer).
 * The same run measures the dispatcher called directly (chat.handle, as bench/chat.ts does)
 * and a bare express handler (a tiny TwiML to a form POST, no work), and prints the ratios.
 * Goal on a 2-core machine: >= 1,000 messages/s at 200 conversations in flight with
 * p99 < 100 ms, and the webhook path >= 70% of the in-process figure.
 *
 * The client is node:http with a keep-alive agent: global fetch (undici) measured about a
 * third of its rate against the bare express app on this machine, so it is only an option.
 * It runs in a child process of its own (bench/http-client.ts) unless `--client-process same`.
 *
 *   npm run bench:http [-- --residents 1000 --in-flight 50,200 --warm-up 200 --client http|fetch
 *                          --client-process own|same --paths "bare express,in-process,webhook"]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { fork, type ChildProcess } from 'node:child_process';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import express from 'express';
import twilio from 'twilio';
import { TWILIO_MESSAGE_PATH } from '../src/channels/twilio/twilio-paths.js';
import { demoCoop } from '../src/demo/coop.js';
import { start } from '../src/main.js';
import { playConversations, runHttpRound, type Client, type PreparedMessage, type RoundRequest, type RoundTiming } from './http-client.js';

const GOAL_PER_SECOND = 1_000;
const GOAL_P99_MS = 100;
const GOAL_SHARE_OF_IN_PROCESS = 0.7;
const PUBLIC_BASE_URL = 'https://bench.kdmp.example';
const WEBHOOK_URL = PUBLIC_BASE_URL + TWILIO_MESSAGE_PATH;

/** One resident's order: open, items, pickup, cash on pickup, confirm. */
const CONVERSATION = ['pesan', 'beras 2 kg sm gula 1kg', '1', '1', 'ya'];
const ITEM_MESSAGES = ['beras 2 kg sm gula 1kg', 'minyak 2 liter, telor sepapan', 'mie 5 bungkus + kecap 1 botol', 'gula 1kg dan tepung 2kg'];

type Path = 'webhook' | 'in-process' | 'bare express';

interface RoundResult {
  path: Path;
  inFlight: number;
  residents: number;
  messages: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  orders: number | undefined;
}

const { values } = parseArgs({
  options: {
    residents: { type: 'string', default: '1000' },
    'in-flight': { type: 'string', default: '50,200' },
    'warm-up': { type: 'string', default: '200' },
    client: { type: 'string', default: 'http' },
    paths: { type: 'string', default: 'bare express,in-process,webhook' },
    'client-process': { type: 'string', default: 'own' },
  },
});
const residents = Number(values.residents);
const inFlightLevels = values['in-flight']!.split(',').map(Number);
const warmUpResidents = Number(values['warm-up']);
const client = values.client as Client;
if (client !== 'http' && client !== 'fetch') throw new Error(`--client must be http or fetch, not ${client}`);
const clientProcess = values['client-process'];
if (clientProcess !== 'own' && clientProcess !== 'same') throw new Error(`--client-process must be own or same, not ${clientProcess}`);
const ALL_PATHS: readonly Path[] = ['bare express', 'in-process', 'webhook'];
const paths = values.paths!.split(',').map((name) => name.trim()) as Path[];
for (const path of paths) if (!ALL_PATHS.includes(path)) throw new Error(`--paths takes ${ALL_PATHS.join(', ')}; not ${path}`);

const accountSid = `AC${randomBytes(16).toString('hex')}`;
const authToken = randomBytes(16).toString('hex');
const smsNumber = demoCoop.numbers.sms[0];
const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-bench-http-'));
const service = await start({
  NODE_ENV: 'test',
  PORT: '0',
  EMBEDDED_MONGO_PORT: '0',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  ADMIN_TOKEN: randomBytes(24).toString('base64url'),
  TWILIO_ACCOUNT_SID: accountSid,
  TWILIO_AUTH_TOKEN: authToken,
  PUBLIC_BASE_URL,
});
const { models } = service;
const coop = await models.Coop.findOne({ 'numbers.sms': smsNumber }, { _id: 1 }).lean();
if (!coop) throw new Error(`no cooperative owns ${smsNumber}`);
const coopId = coop._id;
// Enough stock that no order is refused: the bench measures the happy path.
await models.Product.updateMany({ coopId }, { $set: { stock: 1e9 } });
// No staff contacts: their new-order notices would go to Twilio's REST API, which this machine
// cannot reach, and the retries would eat CPU no real deployment spends. The notice relay still
// drains every order (it finds no one to tell).
await models.Coop.updateOne({ _id: coopId }, { $set: { staff: [] } });
service.chat.refreshCatalog(coopId);

const bare = await startBareExpress();
const clientChild = clientProcess === 'own' ? forkClient() : undefined;
const loadAtStart = loadavg()[0];

let roundCounter = 0;
let sidCounter = 0;
let signingMs = 0;
let signed = 0;
const results: RoundResult[] = [];
try {
  for (const inFlight of inFlightLevels) {
    for (const path of paths) {
      // A warm-up round, not reported: JIT, caches, sockets (one per conversation in flight) and pools settle first.
      await runRound(path, inFlight, Math.max(warmUpResidents, inFlight));
      results.push(await runRound(path, inFlight, residents));
    }
  }
  await report();
} finally {
  clientChild?.kill();
  await new Promise<void>((resolve) => bare.server.close(() => resolve()));
  await service.stop();
  await rm(dataDir, { recursive: true, force: true });
}

async function report(): Promise<void> {
  // Replies the webhook did not answer inline were left to the outbox worker (REST, which cannot succeed here).
  const notInline = await models.OutboxItem.aggregate<{ _id: string; count: number }>([{ $match: { sentBy: { $ne: 'inline' } } }, { $group: { _id: '$status', count: { $sum: 1 } } }]);
  const notInlineCount = notInline.reduce((sum, group) => sum + group.count, 0);

  console.log(
    `\nbench:http — ${CONVERSATION.length} messages per order by SMS, ${residents} residents per round, each path and level after its own warm-up round of ${warmUpResidents}+ residents; ` +
      `the HTTP client runs in ${clientProcess === 'own' ? 'a child process of its own' : 'this process'} (${client === 'http' ? 'node:http request, keep-alive agent, one socket per conversation in flight' : 'fetch (undici), keep-alive'}); ` +
      `every webhook request is signed before its round is timed (${(signingMs * 1000 / signed).toFixed(0)} µs each, not in the figures); ` +
      `in-process = chat.handle on the same service; bare express = an express app answering a one-message TwiML, no work\n`,
  );
  console.log('| path | in flight | residents | messages | seconds | messages/s | p50 ms | p99 ms | orders stored |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.path} | ${r.inFlight} | ${r.residents} | ${r.messages} | ${r.seconds.toFixed(2)} | ${Math.round(r.perSecond)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.orders ?? '—'} |`);
  }
  console.log('');
  for (const inFlight of paths.length === ALL_PATHS.length ? inFlightLevels : []) {
    const find = (path: Path) => results.find((r) => r.path === path && r.inFlight === inFlight)!;
    const webhook = find('webhook');
    const ofInProcess = webhook.perSecond / find('in-process').perSecond;
    const ofBare = webhook.perSecond / find('bare express').perSecond;
    console.log(
      `${inFlight} in flight: webhook / in-process ${(ofInProcess * 100).toFixed(0)}% (goal >= ${GOAL_SHARE_OF_IN_PROCESS * 100}%: ${ofInProcess >= GOAL_SHARE_OF_IN_PROCESS ? 'met' : 'NOT met'}), ` +
        `webhook / bare express ${(ofBare * 100).toFixed(0)}%`,
    );
  }
  const atGoal = results.find((r) => r.path === 'webhook' && r.inFlight === 200);
  if (atGoal) {
    console.log(`goal >= ${GOAL_PER_SECOND} messages/s through the webhook at 200 in flight: ${atGoal.perSecond >= GOAL_PER_SECOND ? 'met' : 'NOT met'} (${Math.round(atGoal.perSecond)})`);
    console.log(`goal p99 < ${GOAL_P99_MS} ms through the webhook at 200 in flight: ${atGoal.p99 < GOAL_P99_MS ? 'met' : 'NOT met'} (${atGoal.p99.toFixed(1)} ms)`);
  } else {
    console.log('the throughput and p99 goals are judged at 200 in flight, which this run did not measure');
  }
  const detail = notInline.map((group) => `${group._id} ${group.count}`).join(', ');
  console.log(`outbox items not answered inline (left to REST): ${notInlineCount}${detail ? ` (${detail})` : ''}`);
  // The figures are only as good as the machine was quiet: other work on it shows here.
  console.log(`load average (1 min) at start / end: ${loadAtStart.toFixed(2)} / ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`);
}

async function runRound(path: Path, inFlight: number, count: number): Promise<RoundResult> {
  const round = roundCounter++;
  const preparing = performance.now();
  const conversations = Array.from({ length: count }, (_, resident) => prepareConversation(round, resident));
  if (path === 'webhook' && count === residents) {
    signingMs += performance.now() - preparing;
    signed += count * CONVERSATION.length;
  }
  const ordersBefore = await models.Order.countDocuments({ coopId });
  const { seconds, latencies } = await timeRound(path, inFlight, conversations);
  let orders: number | undefined;
  if (path !== 'bare express') {
    orders = (await models.Order.countDocuments({ coopId })) - ordersBefore;
    if (orders !== count) throw new Error(`${path}: expected ${count} orders, the database holds ${orders}`);
  }
  latencies.sort((a, b) => a - b);
  return { path, inFlight, residents: count, messages: latencies.length, seconds, perSecond: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), orders };
}

function timeRound(path: Path, inFlight: number, conversations: PreparedMessage[][]): Promise<RoundTiming> {
  if (path === 'in-process') {
    // As bench/chat.ts: the dispatcher alone, its replies answered inline like the simulator's.
    return playConversations(conversations, inFlight, async (message) => {
      const { replies } = await service.chat.handle({ channel: 'sms', provider: 'simulator', coopId, from: message.phone, providerMessageId: message.sid, text: message.text, receivedAt: new Date() });
      if (replies.length === 0) throw new Error(`in-process: no reply to "${message.text}" from ${message.phone}`);
    });
  }
  const request: RoundRequest = { label: path, port: path === 'webhook' ? service.port : bare.port, client, inFlight, conversations };
  return clientChild ? runInChild(clientChild, request) : runHttpRound(request);
}

function forkClient(): ChildProcess {
  const child = fork(join(dirname(fileURLToPath(import.meta.url)), 'http-client.ts'), ['--client-child'], { execArgv: ['--import', 'tsx'] });
  child.unref();
  return child;
}

function runInChild(child: ChildProcess, request: RoundRequest): Promise<RoundTiming> {
  return new Promise((resolve, reject) => {
    const died = (code: number | null) => reject(new Error(`the bench client process exited (code ${code}) in the middle of a round`));
    child.once('exit', died);
    child.once('message', (answer: { timing?: RoundTiming; error?: string }) => {
      child.off('exit', died);
      if (answer.timing) resolve(answer.timing);
      else reject(new Error(answer.error));
    });
    child.send(request);
  });
}

/** A resident's five messages, form-encoded and signed as Twilio would post them. */
function prepareConversation(round: number, resident: number): PreparedMessage[] {
  const phone = `+62813${String(round).padStart(2, '0')}${String(resident).padStart(6, '0')}`;
  return CONVERSATION.map((template, step) => {
    const text = step === 1 ? ITEM_MESSAGES[resident % ITEM_MESSAGES.length] : template;
    const sid = `SM${(sidCounter++).toString(16).padStart(32, '0')}`;
    const params = { MessageSid: sid, AccountSid: accountSid, From: phone, To: smsNumber, Body: text, NumMedia: '0' };
    const signature = twilio.getExpectedTwilioSignature(authToken, WEBHOOK_URL, params);
    return { phone, sid, text, body: new URLSearchParams(params).toString(), signature };
  });
}

/** An express app that answers every form POST with a one-message TwiML and does nothing else. */
async function startBareExpress(): Promise<{ server: http.Server; port: number }> {
  const app = express();
  const twiml = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>ok</Message></Response>';
  app.post(TWILIO_MESSAGE_PATH, (_req, res) => {
    res.status(200).type('text/xml').send(twiml);
  });
  const server = await new Promise<http.Server>((resolve, reject) => {
    const listening = app.listen(0, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  return { server, port: (server.address() as AddressInfo).port };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
