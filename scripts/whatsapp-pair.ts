/**
 * Links a cooperative's WhatsApp number to KDMP Chat (Baileys), by QR code or by pairing code.
 *
 *   npm run whatsapp:pair -- --coop <slug>                    # shows a QR code to scan
 *   npm run whatsapp:pair -- --coop <slug> --phone 62812...   # shows an 8-character pairing code
 *
 * The login is stored in the database (collection whatsapp_auth), where the service reads it.
 * Database: --mongo <uri>, else MONGODB_URI, else the embedded database of a service running
 * on this machine (mongodb://127.0.0.1:27027/kdmp).
 */
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { z } from 'zod';
import { printQrToTerminal } from '../src/channels/baileys/print-qr.js';
import { createWhatsAppConnection, type WhatsAppConnectionState } from '../src/channels/baileys/whatsapp-connection.js';
import { normalizePhone } from '../src/channels/phone.js';
import { isPaired } from '../src/db/whatsapp-auth-store.js';
import { createLogger } from '../src/logger.js';

const DEFAULT_MONGO = 'mongodb://127.0.0.1:27027/kdmp';

const argsSchema = z.object({
  coop: z.string({ error: '--coop <slug> is required' }).trim().min(1, '--coop <slug> is required'),
  phone: z
    .string()
    .optional()
    .refine((phone) => phone === undefined || normalizePhone(phone) !== undefined, '--phone must be a phone number such as 6281234567890'),
  mongo: z.string().regex(/^mongodb(\+srv)?:\/\//, '--mongo must start with mongodb://').optional(),
  timeout: z.coerce.number().int().min(1).max(60).default(5),
});

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

const USAGE = 'Usage: npm run whatsapp:pair -- --coop <slug> [--phone 62812...] [--mongo mongodb://...] [--timeout <minutes>]';

function parseCommandLine(): z.infer<typeof argsSchema> {
  let values: unknown;
  try {
    ({ values } = parseArgs({
      options: { coop: { type: 'string' }, phone: { type: 'string' }, mongo: { type: 'string' }, timeout: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    say(`Error: ${(error as Error).message}`);
    say(USAGE);
    process.exit(2);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) say(`Error: ${issue.message}`);
    say(USAGE);
    process.exit(2);
  }
  return parsed.data;
}

async function main(): Promise<number> {
  const args = parseCommandLine();
  const uri = args.mongo ?? process.env.MONGODB_URI ?? DEFAULT_MONGO;
  // Logs go to stderr so the QR and the instructions stay readable on stdout.
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: false }, pino.destination(2));

  let connection: mongoose.Connection;
  try {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
  } catch {
    say(`Could not reach the database at ${uri.replace(/\/\/[^@/]*@/, '//***@')}.`);
    say('Start the service first (npm start), or pass --mongo / set MONGODB_URI.');
    return 1;
  }

  try {
    const coop = await connection.collection<{ _id: string; slug: string; name?: string }>('coops').findOne({ slug: args.coop });
    if (!coop) {
      say(`No cooperative with slug "${args.coop}".`);
      return 1;
    }
    const coopId = String(coop._id);
    if (await isPaired(connection, coopId)) {
      say(`${coop.name ?? args.coop} is already linked to WhatsApp. Nothing to do.`);
      say('To link another phone, unlink "KDMP Chat" on the old phone (WhatsApp > Linked devices) and run this again.');
      return 0;
    }
    return await pair(connection, coopId, coop.name ?? args.coop, args.phone, args.timeout, logger);
  } finally {
    await connection.close();
  }
}

async function pair(
  connection: mongoose.Connection,
  coopId: string,
  coopName: string,
  phone: string | undefined,
  timeoutMinutes: number,
  logger: ReturnType<typeof createLogger>,
): Promise<number> {
  let settle!: (outcome: WhatsAppConnectionState | 'timeout') => void;
  const outcome = new Promise<WhatsAppConnectionState | 'timeout'>((resolve) => (settle = resolve));
  let qrShown = 0;

  const whatsapp = createWhatsAppConnection({
    coopId,
    connection,
    logger,
    // Exits as soon as the device is linked; a message arriving in between is the service's to answer.
    handle: async () => ({ processed: false, replies: [] }),
    onQr: (qr) => {
      if (phone) return;
      qrShown += 1;
      say();
      say(qrShown === 1 ? `Link ${coopName} to WhatsApp:` : 'New QR code (the previous one expired):');
      say('On the cooperative\'s phone open WhatsApp > Settings (or the ⋮ menu) > Linked devices > Link a device, and scan this code:');
      printQrToTerminal(qr);
      say('The code changes every 20 seconds; scan the newest one.');
    },
    onPairingCode: (code) => {
      say();
      say(`Kode pairing: ${code}`);
      say(`On the phone with number +${normalizePhone(phone!)!.slice(1)}: open WhatsApp > Settings (or the ⋮ menu) > Linked devices > Link a device >`);
      say('"Link with phone number instead", then type the code above. It is valid for about 2 minutes; a new one is shown when it expires.');
    },
    onStatus: (state) => {
      if (state === 'open' || state === 'logged_out' || state === 'replaced') settle(state);
    },
  });

  say(`Connecting to WhatsApp for ${coopName}...`);
  const timer = setTimeout(() => settle('timeout'), timeoutMinutes * 60_000);
  try {
    await whatsapp.start();
    if (phone) {
      // Resolves with the first code; later codes arrive through onPairingCode.
      whatsapp.requestPairingCode(phone).catch((error: unknown) => logger.warn({ err: error }, 'pairing code request ended'));
    }
    const result = await outcome;
    switch (result) {
      case 'open':
        say();
        say(`Linked. ${coopName} now receives and answers WhatsApp messages through KDMP Chat.`);
        say('Restart the service (or its WhatsApp connection) so it picks up the new login.');
        return 0;
      case 'timeout':
        say();
        say(`Not linked within ${timeoutMinutes} minute${timeoutMinutes === 1 ? '' : 's'}. Run the command again when the phone is at hand.`);
        return 1;
      default:
        say();
        say(result === 'replaced' ? 'Another KDMP Chat session took over this login. Stop it and run this again.' : 'WhatsApp refused the link. Run this again.');
        return 1;
    }
  } finally {
    clearTimeout(timer);
    // Waits for the credentials to be written before the database connection closes.
    await whatsapp.stop();
  }
}

// Exit explicitly: a Baileys socket can leave timers behind after it closed.
process.exit(await main());
