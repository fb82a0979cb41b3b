import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * The acknowledged-length mark: how far the journal had been fsynced when a write was last
 * acknowledged. A crash can only tear the batch in flight, which was never acknowledged,
 * so at recovery the journal is never shorter than the mark; when it is, acknowledged
 * writes are gone (a truncated or replaced file) and recovery must not carry on as if the
 * missing end were a torn write.
 *
 * The mark is rewritten in place after each fsync, without an fsync of its own: it only
 * ever names data that is already durable, so even a mark that lags after a power loss
 * never claims more than the journal holds (it only checks less).
 */

export const ACK_MARK_FILE = 'journal.mark';
/** Fixed size, so each rewrite is one small write at offset 0 that never changes the length. */
const MARK_BYTES = 32;

export interface AckMark {
  segment: number;
  bytes: number;
}

/** The mark left in `dir`, or undefined when there is none (a new or older data directory). */
export async function readAckMark(dir: string): Promise<AckMark | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, ACK_MARK_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const match = /^(\d+) (\d+)\s*$/.exec(text);
  // An unreadable mark checks nothing; it is rewritten as soon as the journal opens.
  return match ? { segment: Number(match[1]), bytes: Number(match[2]) } : undefined;
}

/** The open mark file of a running journal. */
export class AckMarkWriter {
  private constructor(private readonly handle: FileHandle) {}

  static async open(dir: string): Promise<AckMarkWriter> {
    const path = join(dir, ACK_MARK_FILE);
    // r+ keeps the old mark readable until the first write replaces it.
    const handle = await open(path, 'r+').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return open(path, 'w');
      throw error;
    });
    return new AckMarkWriter(handle);
  }

  async write(mark: AckMark): Promise<void> {
    const line = `${mark.segment} ${mark.bytes}\n`;
    await this.handle.write(Buffer.from(line.padEnd(MARK_BYTES, ' ')), 0, MARK_BYTES, 0);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
