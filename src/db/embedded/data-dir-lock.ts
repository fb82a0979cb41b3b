import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessRunning } from '../../shared/is-process-running.js';

export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * Claims a data directory for this process: two servers appending to one journal would
 * corrupt it. A lock left by a process that no longer runs (killed, crashed) is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, 'server.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && isProcessRunning(owner)) {
        throw new Error(`data directory ${dataDir} is in use by process ${owner}`);
      }
      if (owner === process.pid) throw new Error(`data directory ${dataDir} is already open in this process`);
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not lock data directory ${dataDir}`);
}
