import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { start, type RunningService } from '../../src/main.js';
import { serviceEnv } from '../helpers/service-env.js';

// `npm run chat` as a scripted conversation: lines piped into the real script, as a process.
const root = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT_TIMEOUT_MS = 60_000;

interface ChatRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs scripts/chat.ts with `input` piped to stdin; resolves when it exits. */
function runChat(args: string[], input: string, env: NodeJS.ProcessEnv): Promise<ChatRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/chat.ts', ...args], { cwd: root, env: { PATH: process.env.PATH, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // A script that waits forever must fail the test, not hang the run.
  const guard = setTimeout(() => child.kill('SIGKILL'), SCRIPT_TIMEOUT_MS - 5_000);
  child.stdin.end(input);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The messages the script echoed, in order ("> text" lines of a piped run). */
const sentLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('> ')).map((line) => line.slice(2));

describe('npm run chat with piped input, against a running service', () => {
  let dataDir: string;
  let spareDir: string;
  let service: RunningService;
  let url: string;
  // If the script failed to reach the service it would start its own, on this spare directory.
  const scriptEnv = () => serviceEnv(spareDir);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-chat-script-'));
    spareDir = await mkdtemp(join(tmpdir(), 'kdmp-chat-script-spare-'));
    service = await start(serviceEnv(dataDir));
    url = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(spareDir, { recursive: true, force: true });
  });

  const ordersOf = (phone: string) => service.models.Order.find({ phone }).sort({ number: 1 }).lean();

  test(
    'every line is played in order and the order is placed; exit 0',
    async () => {
      const run = await runChat(['--from', '+6281200000002', '--url', url], 'pesan gula 1 kg\n1\n1\nya\n', scriptEnv());
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(sentLines(run.stdout)).toEqual(['pesan gula 1 kg', '1', '1', 'ya']);
      expect(run.stdout).toContain('Bayar pakai apa?');
      expect(run.stdout).toContain('Pesanan *#1001* kami terima.');
      expect(run.stdout).not.toContain('started one here');
      expect(await ordersOf('+6281200000002')).toMatchObject([{ number: 1001, channel: 'whatsapp', totalRp: 17_500, payment: { method: 'cod' } }]);
    },
    SCRIPT_TIMEOUT_MS,
  );

  test(
    '--channel sms plays the conversation as SMS (plain GSM-7 text); CRLF line ends and blank lines are fine',
    async () => {
      const run = await runChat(['--from', '081244455501', '--url', url, '--channel', 'sms'], 'pesan gula 1 kg\r\n\r\n1\r\n1\r\nya\r\n', scriptEnv());
      expect(run.code).toBe(0);
      expect(sentLines(run.stdout)).toEqual(['pesan gula 1 kg', '1', '1', 'ya']);
      expect(run.stdout).toMatch(/Pesanan #1002 kami terima\. Total Rp17\.500/);
      expect(run.stdout).not.toContain('*');
      expect(run.stdout).not.toMatch(/\p{Extended_Pictographic}/u);
      expect(await ordersOf('+6281244455501')).toMatchObject([{ number: 1002, channel: 'sms' }]);
    },
    SCRIPT_TIMEOUT_MS,
  );

  test(
    '/quit ends the chat: the lines after it are not sent',
    async () => {
      const run = await runChat(['--from', '+6281244455502', '--url', url], 'gula 1 kg\n/quit\n1\n1\nya\n', scriptEnv());
      expect(run.code).toBe(0);
      expect(sentLines(run.stdout)).toEqual(['gula 1 kg']);
      expect(run.stdout).not.toContain('Bayar pakai apa?');
      expect(await ordersOf('+6281244455502')).toEqual([]);
    },
    SCRIPT_TIMEOUT_MS,
  );

  test(
    'a message the service refuses makes the run exit 1; a bad --channel exits 2',
    async () => {
      const refused = await runChat(['--from', '+6281244455503', '--url', url], `${'x'.repeat(5000)}\nhalo\n`, scriptEnv());
      expect(refused.stdout).toContain('(error 400');
      expect(refused.stdout).toContain('Selamat datang');
      expect(refused.code).toBe(1);

      const bad = await runChat(['--channel', 'telegram', '--url', url], '', scriptEnv());
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--channel must be one of whatsapp, sms');
    },
    SCRIPT_TIMEOUT_MS,
  );
});

describe('npm run chat with piped input, no service running', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-chat-script-own-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test(
    'the script starts the service itself, plays every line, stops it and exits 0',
    async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      const run = await runChat(['--from', '+6281200000002', '--url', url], 'pesan gula 1 kg\n1\n1\nya\n', serviceEnv(dataDir));
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`(no service at ${url}; started one here on the embedded database)`);
      expect(sentLines(run.stdout)).toEqual(['pesan gula 1 kg', '1', '1', 'ya']);
      expect(run.stdout).toContain('Pesanan *#1001* kami terima.');
    },
    SCRIPT_TIMEOUT_MS,
  );
});
