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
 *
 *   npm run bench:http [-- --residents 1000 --in-flight 50,200 --warm-up 200 --client http|fetch]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import express from 'express';
import twilio from 'twilio';
import { TWILIO_MESSAGE_PATH } from '../src/channels/twilio/twilio-paths.js';
import { demoCoop } from '../src/demo/coop.js';
import { start } from '../src/main.js';

const GOAL_PER_SECOND = 1_000;
const GOAL_P99_MS = 100;
const GOAL_SHARE_OF_IN_PROCESS = 0.7;
const PUBLIC_BASE_URL = 'https://bench.kdmp.example';
const WEBHOOK_URL = PUBLIC_BASE_URL + TWILIO_MESSAGE_PATH;

/** One resident's order: open, items, pickup, cash on pickup, confirm. */
const CONVERSATION = ['pesan', 'beras 2 kg sm gula 1kg', '1', '1', 'ya'];
const ITEM_MESSAGES = ['beras 2 kg sm gula 1kg', 'minyak 2 liter, telor sepapan', 'mie 5 bungkus + kecap 1 botol', 'gula 1kg dan tepung 2kg'];

type Path = 'webhook' | 'in-process' | 'bare express';
type Client = 'http' | 'fetch';

/** One message of a round, signed before the round is timed. */
interface PreparedMessage {
  phone: string;
  sid: string;
  text: string;
  body: string;
  signature: string;
}

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
  },
});
const residents = Number(values.residents);
const inFlightLevels = values['in-flight']!.split(',').map(Number);
const warmUpResidents = Number(values['warm-up']);
const client = values.client as Client;
if (client !== 'http' && client !== 'fetch') throw new Error(`--client must be http or fetch, not ${client}`);

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
const loadAtStart = loadavg()[0];

let roundCounter = 0;
let sidCounter = 0;
let signingMs = 0;
let signed = 0;
const results: RoundResult[] = [];
try {
  for (const inFlight of inFlightLevels) {
    for (const path of ['bare express', 'in-process', 'webhook'] as const) {
      const sender = createSender(path, inFlight);
      try {
        // A warm-up round, not reported: JIT, caches, sockets (one per conversation in flight) and pools settle first.
        await runRound(path, inFlight, Math.max(warmUpResidents, inFlight), sender.send);
        results.push(await runRound(path, inFlight, residents, sender.send));
      } finally {
        sender.close();
      }
    }
  }
  await report();
} finally {
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
      `the HTTP client runs in this process (${client === 'http' ? 'node:http request, keep-alive agent, one socket per conversation in flight' : 'fetch (undici), keep-alive'}); ` +
      `every webhook request is signed before its round is timed (${(signingMs * 1000 / signed).toFixed(0)} µs each, not in the figures); ` +
      `in-process = chat.handle on the same service; bare express = an express app answering a one-message TwiML, no work\n`,
  );
  console.log('| path | in flight | residents | messages | seconds | messages/s | p50 ms | p99 ms | orders stored |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.path} | ${r.inFlight} | ${r.residents} | ${r.messages} | ${r.seconds.toFixed(2)} | ${Math.round(r.perSecond)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.orders ?? '—'} |`);
  }
  console.log('');
  for (const inFlight of inFlightLevels) {
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

async function runRound(path: Path, inFlight: number, count: number, send: (message: PreparedMessage) => Promise<void>): Promise<RoundResult> {
  const round = roundCounter++;
  const preparing = performance.now();
  const conversations = Array.from({ length: count }, (_, resident) => prepareConversation(round, resident));
  if (path === 'webhook' && count === residents) {
    signingMs += performance.now() - preparing;
    signed += count * CONVERSATION.length;
  }
  const ordersBefore = await models.Order.countDocuments({ coopId });
  const latencies: number[] = [];
  let next = 0;
  // The first failure stops every conversation of the round, so the error is reported at once.
  let failed = false;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, count) }, async () => {
      while (next < count && !failed) {
        for (const message of conversations[next++]) {
          const sent = performance.now();
          try {
            await send(message);
          } catch (error) {
            failed = true;
            throw error;
          }
          latencies.push(performance.now() - sent);
        }
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  let orders: number | undefined;
  if (path !== 'bare express') {
    orders = (await models.Order.countDocuments({ coopId })) - ordersBefore;
    if (orders !== count) throw new Error(`${path}: expected ${count} orders, the database holds ${orders}`);
  }
  latencies.sort((a, b) => a - b);
  return { path, inFlight, residents: count, messages: latencies.length, seconds, perSecond: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), orders };
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

function createSender(path: Path, inFlight: number): { send: (message: PreparedMessage) => Promise<void>; close(): void } {
  if (path === 'in-process') {
    // As bench/chat.ts: the dispatcher alone, its replies answered inline like the simulator's.
    return {
      send: async (message) => {
        const { replies } = await service.chat.handle({ channel: 'sms', provider: 'simulator', coopId, from: message.phone, providerMessageId: message.sid, text: message.text, receivedAt: new Date() });
        if (replies.length === 0) throw new Error(`in-process: no reply to "${message.text}" from ${message.phone}`);
      },
      close() {},
    };
  }
  const port = path === 'webhook' ? service.port : bare.port;
  const post = client === 'http' ? createHttpPoster(port, inFlight) : createFetchPoster(port);
  return {
    send: async (message) => {
      const response = await post.post(message);
      if (response.status !== 200 || !response.contentType?.startsWith('text/xml') || !response.text.includes('<Response>') || !response.text.includes('<Message>')) {
        throw new Error(`${path}: "${message.text}" from ${message.phone} was answered ${response.status} ${response.contentType}: ${response.text.slice(0, 200)}`);
      }
    },
    close: post.close,
  };
}

interface PostResponse {
  status: number;
  contentType: string | undefined;
  text: string;
}

function createHttpPoster(port: number, sockets: number): { post(message: PreparedMessage): Promise<PostResponse>; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  return {
    post: (message) =>
      new Promise((resolve, reject) => {
        const request = http.request(
          {
            agent,
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: TWILIO_MESSAGE_PATH,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(message.body), [twilio.SIGNATURE_HEADER]: message.signature },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') }));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(message.body);
      }),
    close: () => agent.destroy(),
  };
}

function createFetchPoster(port: number): { post(message: PreparedMessage): Promise<PostResponse>; close(): void } {
  const url = `http://127.0.0.1:${port}${TWILIO_MESSAGE_PATH}`;
  return {
    async post(message) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', [twilio.SIGNATURE_HEADER]: message.signature }, body: message.body });
      return { status: response.status, contentType: response.headers.get('content-type') ?? undefined, text: await response.text() };
    },
    close() {},
  };
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
