import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { serviceEnv } from '../helpers/service-env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Child {
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
  waitForLine(pattern: RegExp): Promise<string>;
}

/** Runs the service the way `npm start` does, as a real process. */
/** Services still running: killed after the tests, so a failed assertion cannot leave one behind (and jest waiting). */
const running = new Set<{ kill(signal: NodeJS.Signals): boolean }>();

function runService(env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { PATH: process.env.PATH, ...env } });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    for (const waiter of [...waiters]) {
      const line = stdout.split('\n').find((candidate) => waiter.pattern.test(candidate));
      if (line) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return {
    exited,
    kill: (signal) => child.kill(signal),
    waitForLine: (pattern) =>
      Promise.race([
        new Promise<string>((resolve) => waiters.push({ pattern, resolve })),
        exited.then(({ stderr: err }) => Promise.reject(new Error(`service exited before "${pattern}": ${err}`))),
      ]),
  };
}

describe('the service as a process', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-process-'));
  });

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a bad variable stops start-up with one line naming it', async () => {
    const { code, stderr, stdout } = await runService({ PORT: 'lots', DATA_DIR: dataDir }).exited;
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('Configuration error: PORT must be a number');
    expect(stdout).toBe('');
  });

  test('production refuses to start without an admin token', async () => {
    const { code, stderr } = await runService({ NODE_ENV: 'production', DATA_DIR: dataDir }).exited;
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('Configuration error: ADMIN_TOKEN is required in production (at least 24 random characters)');
  });

  test('a second service on the same data is refused; SIGTERM drains, flushes and exits 0; the data is there after a restart', async () => {
    const env = serviceEnv(dataDir, { LOG_LEVEL: 'info' });
    const first = runService(env);
    const listening = JSON.parse(await first.waitForLine(/embedded database listening/)) as { port: number };
    await first.waitForLine(/KDMP Chat is ready/);
    const client = await MongoClient.connect(`mongodb://127.0.0.1:${listening.port}/kdmp?directConnection=true`);
    await client.db('kdmp').collection('notes').insertOne({ _id: 'before-sigterm' as never, at: new Date(0) });
    await client.close();

    // A second service on the same data directory must not open the same files.
    const second = await runService(env).exited;
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^KDMP Chat failed to start: data directory .* is in use by process \d+\n$/);

    first.kill('SIGTERM');
    const { code, stdout } = await first.exited;
    expect(code).toBe(0);
    expect(stdout).toMatch(/"msg":"stopped"/);

    const restarted = runService(env);
    const again = JSON.parse(await restarted.waitForLine(/embedded database listening/)) as { port: number };
    await restarted.waitForLine(/KDMP Chat is ready/);
    const reader = await MongoClient.connect(`mongodb://127.0.0.1:${again.port}/kdmp?directConnection=true`);
    const found = await reader.db('kdmp').collection('notes').findOne({ _id: 'before-sigterm' as never });
    await reader.close();
    restarted.kill('SIGINT');
    expect((await restarted.exited).code).toBe(0);
    expect(found).toEqual({ _id: 'before-sigterm', at: new Date(0) });
  });
});
