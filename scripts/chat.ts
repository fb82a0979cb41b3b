/**
 * A terminal chat with the bot, as a resident would see it on WhatsApp.
 *   npm run chat -- --from +6281200000002 [--url http://localhost:3000]
 * Talks to a running service's simulator endpoint; when none is running it starts the
 * service in this process (same DATA_DIR, a free HTTP port) for the length of the chat.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { normalizePhone } from '../src/channels/phone.js';
import { start, type RunningService } from '../src/main.js';

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: '+6281200000002' },
    url: { type: 'string', default: `http://localhost:${process.env.PORT ?? 3000}` },
    coop: { type: 'string' },
  },
});

const from = normalizePhone(values.from!);
if (!from) {
  console.error(`--from must be a phone number such as +6281200000002 (got "${values.from}")`);
  process.exit(2);
}

let baseUrl = values.url!;
let local: RunningService | undefined;
if (!(await isServing(baseUrl))) {
  local = await start({ ...process.env, PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  baseUrl = `http://127.0.0.1:${local.port}`;
  console.log(`(no service at ${values.url}; started one here on the ${local.database.lane} database)`);
}

console.log(`Chatting as ${from}. Type a message, or /quit to leave.\n`);
const terminal = createInterface({ input: process.stdin, output: process.stdout });
try {
  for (;;) {
    let text: string;
    try {
      text = (await terminal.question('> ')).trim();
    } catch {
      break; // stdin closed
    }
    if (text === '/quit' || text === '/exit') break;
    if (!text) continue;
    const response = await fetch(`${baseUrl}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, text, coop: values.coop }),
    });
    const body = (await response.json()) as { replies?: string[]; error?: { message: string } };
    if (!response.ok) {
      console.log(`(error ${response.status}: ${body.error?.message ?? 'unknown'})\n`);
      continue;
    }
    for (const reply of body.replies ?? []) console.log(`\n${indent(reply)}\n`);
  }
} finally {
  terminal.close();
  await local?.stop();
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
