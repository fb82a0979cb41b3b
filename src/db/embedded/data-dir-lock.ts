import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DataDirLock {
  release(): Promise<void>;
}

/** How long a start waits for a lock whose holder is dying (its helper sees EOF and exits). */
const WAIT_FOR_DYING_HOLDER_MS = 1_500;
/** flock(1)'s exit code when the lock is held by someone else (our choice, `-E`). */
const LOCK_BUSY_EXIT = 75;

/**
 * Claims a data directory for this process: two servers appending to one journal would
 * corrupt it. The claim is an OS file lock (flock), held by a small `flock` helper process
 * that lives exactly as long as this process: it holds the lock while reading our pipe and
 * exits when the pipe closes, which the kernel does when we die, however we die. Nothing
 * can mistake a stale lock for a live one (a pid file could: after a restart in a container
 * the new process often has the old pid). The pid is written to the lock file for people.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, 'server.lock');
  const deadline = Date.now() + WAIT_FOR_DYING_HOLDER_MS;
  for (;;) {
    const holder = await tryLock(path);
    if (holder) {
      await writeFile(path, `${process.pid}\n`);
      return { release: () => releaseLock(holder) };
    }
    if (Date.now() >= deadline) {
      const holderPid = (await readFile(path, 'utf8').catch(() => '')).trim();
      throw new Error(`data directory ${dataDir} is in use by ${/^\d+$/.test(holderPid) ? `process ${holderPid}` : `another running server (lock ${path} is held)`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts the helper; resolves with it once it holds the lock, or undefined if the lock is busy. */
function tryLock(path: string): Promise<ChildProcess | undefined> {
  return new Promise((resolve, reject) => {
    // `flock -n` takes the lock without waiting; the shell says so, then holds it until stdin closes.
    const helper = spawn('flock', ['-n', '-E', String(LOCK_BUSY_EXIT), path, 'sh', '-c', 'echo locked; exec cat > /dev/null'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let settled = false;
    helper.stdout.once('data', () => {
      settled = true;
      // The helper must not keep this process alive, nor die with it from a signal meant for us.
      helper.unref();
      for (const stream of [helper.stdin, helper.stdout]) (stream as unknown as { unref(): void }).unref();
      resolve(helper);
    });
    helper.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? new Error('the flock command (util-linux) is needed to lock the data directory', { cause: error }) : error);
    });
    helper.once('exit', (code) => {
      if (settled) return;
      settled = true;
      if (code === LOCK_BUSY_EXIT) resolve(undefined);
      else reject(new Error(`flock exited with code ${code} while locking ${path}`));
    });
  });
}

function releaseLock(holder: ChildProcess): Promise<void> {
  if (holder.exitCode !== null || holder.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    holder.once('exit', () => resolve());
    // Referenced again: whoever awaits the release must not see the process exit first.
    holder.ref();
    holder.stdin?.end();
  });
}
