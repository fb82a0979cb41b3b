/**
 * A terminal chat with the bot, as a resident would see it on WhatsApp (or SMS).
 *   npm run chat -- --from +6281200000002 [--channel sms|whatsapp] [--url http://localhost:3000] [--coop slug]
 *   printf 'pesan gula 1 kg\n1\n1\nya\n' | npm run chat -- --from +6281200000002
 * Talks to a running service's simulator endpoint; when none is running it starts the
 * service in this process (same DATA_DIR, a free HTTP port) for the length of the chat.
 * Piped input is played line by line, in order; the chat ends at the end of input or /quit.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { normalizePhone } from '../src/channels/phone.js';
import { CHANNEL_NAMES, type ChannelName } from '../src/channels/types.js';
import { start, type RunningService } from '../src/main.js';

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: '+6281200000002' },
    url: { type: 'string', default: `http://localhost:${process.env.PORT ?? 3000}` },
    coop: { type: 'string' },
    channel: { type: 'string', default: 'whatsapp' },
  },
});

const from = normalizePhone(values.from!);
if (!from) {
  console.error(`--from must be a phone number such as +6281200000002 (got "${values.from}")`);
  process.exit(2);
}
const channel = values.channel as ChannelName;
if (!CHANNEL_NAMES.includes(channel)) {
  console.error(`--channel must be one of ${CHANNEL_NAMES.join(', ')} (got "${values.channel}")`);
  process.exit(2);
}

let baseUrl = values.url!;
let local: RunningService | undefined;
if (!(await isServing(baseUrl))) {
  local = await start({ ...process.env, PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  baseUrl = `http://127.0.0.1:${local.port}`;
  console.log(`(no service at ${values.url}; started one here on the ${local.database.lane} database)`);
}

// A person at a terminal gets a prompt and line editing; piped input is echoed instead, so
// the output reads as a transcript.
const interactive = process.stdin.isTTY === true;
console.log(`Chatting as ${from} on ${channel}. Type a message, or /quit to leave.\n`);
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, ...(interactive ? { output: process.stdout, prompt: '> ' } : {}) });
let failed = false;
try {
  if (interactive) lines.prompt();
  // The iterator buffers lines that arrive while a message is in flight, so none is lost
  // when stdin closes early (readline's question() rejects in that case).
  for await (const line of lines) {
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    if (text) {
      if (!interactive) console.log(`> ${text}`);
      failed = !(await send(text)) || failed;
    }
    if (interactive) lines.prompt();
  }
} finally {
  lines.close();
  await local?.stop();
}
// A line the service refused (or could not answer) makes a scripted run fail.
process.exitCode = failed ? 1 : 0;

/** Sends one message and prints the replies; false when the service refused it. */
async function send(text: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/api/simulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, text, channel, ...(values.coop ? { coop: values.coop } : {}) }),
  });
  const body = (await response.json()) as { replies?: string[]; error?: { message: string } };
  if (!response.ok) {
    console.log(`(error ${response.status}: ${body.error?.message ?? 'unknown'})\n`);
    return false;
  }
  for (const reply of body.replies ?? []) console.log(`\n${indent(reply)}\n`);
  return true;
}

async function isServing(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
