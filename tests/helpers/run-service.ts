import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ServiceProcess {
  pid: number;
  exited: Promise<ServiceExit>;
  /** True once the process has exited. */
  hasExited(): boolean;
  kill(signal: NodeJS.Signals): void;
  /** The first stdout line matching `pattern` (already printed or still to come). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stdout(): string;
}

/** A service that reported ready: its HTTP port and (embedded lane) its database port. */
export interface ReadyService extends ServiceProcess {
  port: number;
  /** Set when the service started its own embedded database. */
  mongoPort?: number;
  base: string;
}

/** Runs the service the way `npm start` does, as a real process (stdout: pino JSON lines). */
export function runService(env: NodeJS.ProcessEnv): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { PATH: process.env.PATH, ...env } });
  let stdout = '';
  let stderr = '';
  let done = false;
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const findLine = (pattern: RegExp) => stdout.split('\n').find((line) => pattern.test(line));
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    for (const waiter of [...waiters]) {
      const line = findLine(waiter.pattern);
      if (line) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<ServiceExit>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return {
    pid: child.pid!,
    exited,
    hasExited: () => done,
    kill: (signal) => {
      if (!done) child.kill(signal);
    },
    stdout: () => stdout,
    waitForLine(pattern, timeoutMs = 30_000) {
      const found = findLine(pattern);
      if (found) return Promise.resolve(found);
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([
        new Promise<string>((resolve) => waiters.push({ pattern, resolve })),
        exited.then(({ stderr: err, code, signal }) => Promise.reject(new Error(`service exited (${code ?? signal}) before "${pattern}": ${err}`))),
        new Promise<string>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
    },
  };
}

/** Starts the service and waits until it is ready; LOG_LEVEL must let info lines through. */
export async function startService(env: NodeJS.ProcessEnv): Promise<ReadyService> {
  const child = runService({ ...env, LOG_LEVEL: env.LOG_LEVEL && env.LOG_LEVEL !== 'silent' ? env.LOG_LEVEL : 'info' });
  try {
    const ready = JSON.parse(await child.waitForLine(/KDMP Chat is ready/)) as { port: number };
    const embedded = findJsonLine(child.stdout(), /embedded database listening/) as { port: number } | undefined;
    return { ...child, port: ready.port, ...(embedded ? { mongoPort: embedded.port } : {}), base: `http://127.0.0.1:${ready.port}` };
  } catch (error) {
    child.kill('SIGKILL');
    await child.exited;
    throw error;
  }
}

/** Stops a child: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stopService(child: ServiceProcess | undefined, graceMs = 12_000): Promise<ServiceExit | undefined> {
  if (!child) return undefined;
  if (child.hasExited()) return child.exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

function findJsonLine(output: string, pattern: RegExp): unknown {
  const line = output.split('\n').find((candidate) => pattern.test(candidate));
  return line ? JSON.parse(line) : undefined;
}
