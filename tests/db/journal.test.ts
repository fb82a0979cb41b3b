import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Binary, Decimal128, ObjectId } from 'bson';
import { pino } from 'pino';
import {
  JournalCorruptionError,
  openJournal,
  type CompactionStep,
  type JournalRecord,
} from '../../src/db/embedded/journal.js';
import { ACK_MARK_FILE } from '../../src/db/embedded/journal-mark.js';

const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kdmp-journal-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

interface LogEntry {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger that keeps its entries for assertions. */
function captureLogger() {
  const entries: LogEntry[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void entries.push(JSON.parse(line) as LogEntry) });
  return {
    logger,
    warnings: () => entries.filter((e) => e.level === 40),
    errors: () => entries.filter((e) => e.level === 50),
  };
}

/** Journal segments and snapshots (not the acknowledged-length mark). */
async function files(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name !== ACK_MARK_FILE).sort();
}

async function onlyJournalFile(dir: string): Promise<string> {
  const names = (await files(dir)).filter((name) => name.startsWith('journal-'));
  expect(names).toHaveLength(1);
  return join(dir, names[0]);
}

/** Opens, appends each unit with its own fsync (one batch per unit), closes. */
async function writeUnits(dir: string, units: JournalRecord[][]): Promise<void> {
  const { journal } = await openJournal({ dir });
  for (const unit of units) await journal.append(unit);
  await journal.close();
}

/** As writeUnits, but the mark is left as it was while the last unit was still in flight (never acknowledged), as a crash leaves it. */
async function writeUnitsLastInFlight(dir: string, units: JournalRecord[][]): Promise<void> {
  await writeUnits(dir, units.slice(0, -1));
  const markBefore = await readFile(join(dir, ACK_MARK_FILE));
  await writeUnits(dir, units.slice(-1));
  await writeFile(join(dir, ACK_MARK_FILE), markBefore);
}

async function recover(dir: string, logger = captureLogger().logger): Promise<JournalRecord[]> {
  const { journal, recovered } = await openJournal({ dir, logger });
  await journal.close();
  return recovered;
}

const numbered = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ n: from + i }));

describe('journal round trip', () => {
  it('keeps BSON types: Date, ObjectId, nested arrays, null, booleans, int, double', async () => {
    const dir = await tempDir();
    const id = new ObjectId();
    const when = new Date('2026-08-17T10:45:12.345Z');
    const record = {
      op: 'insert',
      ns: 'kdmp.orders',
      doc: {
        _id: id,
        placedAt: when,
        items: [
          ['beras', 5, [1, [2, [3]]]],
          { sku: 'migor-2l', qty: 0.25 },
        ],
        note: null,
        paid: true,
        cancelled: false,
        total: 98900,
        big: 2 ** 40,
        negative: -7,
        ratio: 1.5,
        text: 'kak mau pesen beras 5kg sm migor 2 liter ya 🙏',
        'dotted.key': 1,
        $set: { status: 'baru' },
        price: Decimal128.fromString('1.10'),
        blob: new Binary(Buffer.from([0, 1, 2, 255])),
      },
    };
    const { journal } = await openJournal({ dir });
    await journal.append([record, { op: 'delete', id }]);
    await journal.close();

    const recovered = await recover(dir);
    expect(recovered).toHaveLength(2);
    const doc = recovered[0].doc as Record<string, unknown>;
    expect(doc._id).toBeInstanceOf(ObjectId);
    expect((doc._id as ObjectId).equals(id)).toBe(true);
    expect(doc.placedAt).toBeInstanceOf(Date);
    expect((doc.placedAt as Date).getTime()).toBe(when.getTime());
    expect(doc.items).toEqual([['beras', 5, [1, [2, [3]]]], { sku: 'migor-2l', qty: 0.25 }]);
    expect(doc.note).toBeNull();
    expect(doc.paid).toBe(true);
    expect(doc.cancelled).toBe(false);
    // Ordinary numbers come back as JS numbers, not Long/Int32/Double wrappers.
    for (const [key, value] of [['total', 98900], ['big', 2 ** 40], ['negative', -7], ['ratio', 1.5]] as const) {
      expect(typeof doc[key]).toBe('number');
      expect(doc[key]).toBe(value);
    }
    expect(doc.text).toBe(record.doc.text);
    expect(doc['dotted.key']).toBe(1);
    expect(doc.$set).toEqual({ status: 'baru' });
    expect(doc.price).toBeInstanceOf(Decimal128);
    expect(String(doc.price)).toBe('1.10');
    expect(Buffer.from((doc.blob as Binary).buffer)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect((recovered[1].id as ObjectId).equals(id)).toBe(true);
  });

  it('journals a record as it was at append() time, not after later in-place edits', async () => {
    const dir = await tempDir();
    const { journal } = await openJournal({ dir });
    const doc = { status: 'baru' };
    const pending = journal.append([doc]);
    doc.status = 'dikirim';
    await pending;
    await journal.close();
    expect(await recover(dir)).toEqual([{ status: 'baru' }]);
  });

  it('recovers across several close/reopen cycles and refuses appends after close', async () => {
    const dir = await tempDir();
    const first = await openJournal({ dir });
    expect(first.recovered).toEqual([]);
    await first.journal.append(numbered(0, 3));
    await first.journal.close();
    await expect(first.journal.append([{ n: 99 }])).rejects.toThrow('closed');

    const second = await openJournal({ dir });
    expect(second.recovered).toEqual(numbered(0, 3));
    await second.journal.append(numbered(3, 4));
    await second.journal.append([]);
    await second.journal.close();

    expect(await recover(dir)).toEqual(numbered(0, 4));
  });

  it('close() waits for appends that are still queued', async () => {
    const dir = await tempDir();
    const { journal } = await openJournal({ dir });
    const pending = numbered(0, 50).map((r) => journal.append([r]));
    await journal.close();
    await Promise.all(pending);
    expect(await recover(dir)).toEqual(numbered(0, 50));
  });
});

describe('journal torn tail', () => {
  it('drops a final write cut short by a few bytes, truncates it, and keeps later appends', async () => {
    const dir = await tempDir();
    await writeUnitsLastInFlight(dir, [numbered(0, 2), numbered(2, 4), numbered(4, 5), numbered(5, 8), numbered(8, 9)]);
    const file = await onlyJournalFile(dir);
    const fullSize = (await stat(file)).size;
    await truncate(file, fullSize - 3);

    const log = captureLogger();
    const { journal, recovered } = await openJournal({ dir, logger: log.logger });
    // The whole last unit goes: units are all-or-nothing.
    expect(recovered).toEqual(numbered(0, 8));
    expect(log.warnings()).toHaveLength(1);
    expect(log.errors()).toHaveLength(0);
    expect((await stat(file)).size).toBeLessThan(fullSize - 3);
    await journal.append(numbered(100, 102));
    await journal.close();

    const again = captureLogger();
    expect(await recover(dir, again.logger)).toEqual([...numbered(0, 8), ...numbered(100, 102)]);
    expect(again.warnings()).toHaveLength(0);
  });

  it.each([
    ['random bytes', () => randomBytes(1000)],
    ['zeros', () => Buffer.alloc(4096)],
    ['a few bytes', () => Buffer.from([1, 2, 3])],
  ])('drops %s appended after the last write', async (_label, garbage) => {
    const dir = await tempDir();
    await writeUnits(dir, [numbered(0, 3), numbered(3, 6)]);
    const file = await onlyJournalFile(dir);
    const goodSize = (await stat(file)).size;
    await appendFile(file, garbage());

    const log = captureLogger();
    const { journal, recovered } = await openJournal({ dir, logger: log.logger });
    expect(recovered).toEqual(numbered(0, 6));
    expect(log.warnings()).toHaveLength(1);
    expect((await stat(file)).size).toBe(goodSize);
    await journal.append(numbered(6, 7));
    await journal.close();
    expect(await recover(dir)).toEqual(numbered(0, 7));
  });

  it('drops intact record frames whose batch never got its commit frame', async () => {
    const dir = await tempDir();
    await writeUnits(dir, [numbered(0, 1)]);
    const file = await onlyJournalFile(dir);
    const oneBatch = await readFile(file);
    // A second copy of the batch minus its 17-byte commit frame: valid records, no commit.
    await appendFile(file, oneBatch.subarray(0, oneBatch.length - 17));
    const log = captureLogger();
    expect(await recover(dir, log.logger)).toEqual(numbered(0, 1));
    expect(log.warnings()).toHaveLength(1);
  });

  it('fails loudly on corruption in the middle instead of dropping later records', async () => {
    const dir = await tempDir();
    await writeUnits(dir, numbered(0, 10).map((r) => [r]));
    const file = await onlyJournalFile(dir);
    const bytes = await readFile(file);
    const damaged = Buffer.from(bytes);
    damaged[Math.floor(bytes.length * 0.3)] ^= 0x55;
    await writeFile(file, damaged);

    const log = captureLogger();
    await expect(openJournal({ dir, logger: log.logger })).rejects.toBeInstanceOf(JournalCorruptionError);
    expect(log.errors().length).toBeGreaterThan(0);
    // Nothing was truncated: the data is still there for a human to rescue.
    expect(await readFile(file)).toEqual(damaged);
  });

  it('fails loudly when the damage is in the second-to-last batch', async () => {
    const dir = await tempDir();
    await writeUnits(dir, numbered(0, 4).map((r) => [r]));
    const file = await onlyJournalFile(dir);
    const bytes = await readFile(file);
    const batchBytes = bytes.length / 4;
    const damaged = Buffer.from(bytes);
    damaged[Math.floor(batchBytes * 2.5)] ^= 0x01;
    await writeFile(file, damaged);
    await expect(openJournal({ dir })).rejects.toBeInstanceOf(JournalCorruptionError);
  });

  it('replays several segments in order, and refuses a damaged tail in a segment that is not the last', async () => {
    const dir = await tempDir();
    const other = await tempDir();
    await writeUnits(dir, [numbered(0, 3)]);
    await writeUnits(other, [numbered(3, 5)]);
    // As if a compaction had opened segment 2 and crashed before its snapshot existed.
    await copyFile(await onlyJournalFile(other), join(dir, 'journal-0000000002.log'));
    expect(await recover(dir)).toEqual(numbered(0, 5));

    const first = join(dir, 'journal-0000000001.log');
    await truncate(first, (await stat(first)).size - 2);
    await expect(openJournal({ dir })).rejects.toBeInstanceOf(JournalCorruptionError);
  });
});

describe('journal cut before its last acknowledged write', () => {
  it('refuses a journal cut to half its length, names what is missing, and starts on what is left once the mark is deleted', async () => {
    const dir = await tempDir();
    await writeUnits(dir, Array.from({ length: 30 }, (_, i) => numbered(i, i + 1)));
    const file = await onlyJournalFile(dir);
    const fullSize = (await stat(file)).size;
    await truncate(file, Math.floor(fullSize / 2));

    const log = captureLogger();
    const refused = await openJournal({ dir, logger: log.logger }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(JournalCorruptionError);
    expect((refused as Error).message).toContain(`acknowledged ${fullSize} bytes`);
    // What is left ends at the last whole batch before the cut.
    const found = Number(/found (\d+) bytes of segment 1/.exec((refused as Error).message)?.[1]);
    expect(found).toBeGreaterThan(0);
    expect(found).toBeLessThanOrEqual(Math.floor(fullSize / 2));
    expect((refused as Error).message).toContain(`delete ${join(dir, ACK_MARK_FILE)}`);
    expect(log.errors()).toHaveLength(1);
    // Refusing changes nothing on disk: a backup can still be compared with the files.
    expect((await stat(file)).size).toBe(Math.floor(fullSize / 2));

    await rm(join(dir, ACK_MARK_FILE));
    const left = await recover(dir);
    expect(left.length).toBeGreaterThan(0);
    expect(left.length).toBeLessThan(30);
    expect(left).toEqual(numbered(0, left.length));
  });

  it('refuses when the segment the last acknowledged write went to is gone', async () => {
    const dir = await tempDir();
    const { journal } = await openJournal({ dir });
    await journal.append(numbered(0, 3));
    await journal.compact(() => numbered(0, 3));
    await journal.append(numbered(3, 5));
    await journal.close();
    await rm(join(dir, 'journal-0000000002.log'));
    await expect(openJournal({ dir, logger: captureLogger().logger })).rejects.toThrow(/found 0 bytes of segment 2\); acknowledged writes are missing/);
  });
});

describe('journal group commit', () => {
  it('shares one fsync among appends that arrive while a write is in flight', async () => {
    const dir = await tempDir();
    const { journal } = await openJournal({ dir });
    await Promise.all(numbered(0, 100).map((r) => journal.append([r])));
    const stats = journal.stats();
    expect(stats.appends).toBe(100);
    expect(stats.fsyncs).toBeGreaterThan(0);
    expect(stats.fsyncs).toBeLessThan(stats.appends);
    expect(stats.fsyncs).toBeLessThanOrEqual(2);
    await journal.close();
    expect(await recover(dir)).toEqual(numbered(0, 100));
  });

  it('fsyncs every append when they come one at a time', async () => {
    const dir = await tempDir();
    const { journal } = await openJournal({ dir });
    for (const r of numbered(0, 5)) await journal.append([r]);
    expect(journal.stats()).toMatchObject({ appends: 5, fsyncs: 5 });
    await journal.close();
  });
});

/** A tiny store of counters: `inc` records are not idempotent, so a replayed duplicate shows. */
class CounterStore {
  readonly counters = new Map<string, number>();
  apply(record: JournalRecord): void {
    if (record.op === 'inc') this.counters.set(record.key, (this.counters.get(record.key) ?? 0) + record.by);
    else if (record.op === 'set') this.counters.set(record.key, record.value);
    else if (record.op === 'del') this.counters.delete(record.key);
    else throw new Error(`unknown op ${String(record.op)}`);
  }
  snapshot(): JournalRecord[] {
    return [...this.counters].map(([key, value]) => ({ op: 'set', key, value }));
  }
  static replay(records: JournalRecord[]): Map<string, number> {
    const store = new CounterStore();
    for (const record of records) store.apply(record);
    return store.counters;
  }
}

describe('journal compaction', () => {
  it('recovers exactly the live state, with appends racing the compaction', async () => {
    const dir = await tempDir();
    const { journal } = await openJournal({ dir });
    const live = new CounterStore();
    const write = (record: JournalRecord) => {
      live.apply(record);
      return journal.append([record]);
    };
    for (let i = 0; i < 200; i++) await write({ op: 'inc', key: `k${i % 7}`, by: i });
    await write({ op: 'del', key: 'k3' });
    const bytesBefore = journal.bytesSinceCompaction;
    expect(bytesBefore).toBeGreaterThan(0);

    const inFlight = [1000, 2000, 3000].map((by) => write({ op: 'inc', key: 'k1', by }));
    const capture = jest.fn(() => live.snapshot());
    const compaction = journal.compact(capture);
    // Captured synchronously, before any later write can change the state.
    expect(capture).toHaveBeenCalledTimes(1);
    const second = jest.fn(() => live.snapshot());
    const concurrent = journal.compact(second);
    inFlight.push(write({ op: 'inc', key: 'k1', by: 1 }), write({ op: 'inc', key: 'k10', by: 2 }));
    await Promise.all([compaction, concurrent, ...inFlight]);
    expect(second).not.toHaveBeenCalled();

    const after = journal.bytesSinceCompaction;
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(bytesBefore);
    expect(await files(dir)).toEqual(['journal-0000000002.log', 'snapshot-0000000002.bson']);
    await write({ op: 'inc', key: 'k0', by: 1 });
    await journal.close();

    const reopened = await openJournal({ dir });
    expect(CounterStore.replay(reopened.recovered)).toEqual(live.counters);
    // Reopening counts the bytes still waiting for the next compaction.
    expect(reopened.journal.bytesSinceCompaction).toBe((await stat(join(dir, 'journal-0000000002.log'))).size);
    await reopened.journal.close();
  });

  it('compacts repeatedly, including an empty state', async () => {
    const dir = await tempDir();
    const { journal } = await openJournal({ dir });
    await journal.append(numbered(0, 3));
    await journal.compact(() => []);
    expect(journal.bytesSinceCompaction).toBe(0);
    await journal.append(numbered(3, 4));
    await journal.compact(() => numbered(10, 12));
    await journal.append(numbered(4, 5));
    await journal.close();
    expect(await files(dir)).toEqual(['journal-0000000003.log', 'snapshot-0000000003.bson']);
    expect(await recover(dir)).toEqual([...numbered(10, 12), ...numbered(4, 5)]);
  });

  it('writes a snapshot larger than one snapshot batch', async () => {
    const dir = await tempDir();
    const { journal } = await openJournal({ dir });
    const state = numbered(0, 3000).map((r) => ({ ...r, pad: 'p'.repeat(4000) }));
    await journal.compact(() => state);
    await journal.close();
    expect(await recover(dir)).toEqual(state);
  });

  it('rejects a capture that throws and leaves the journal usable', async () => {
    const dir = await tempDir();
    const { journal } = await openJournal({ dir });
    await journal.append(numbered(0, 1));
    await expect(
      journal.compact(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('cannot capture snapshot');
    await journal.append(numbered(1, 2));
    await journal.close();
    expect(await recover(dir)).toEqual(numbered(0, 2));
  });
});

describe('journal crash during compaction', () => {
  const A = numbered(0, 5);
  const B = numbered(5, 8);

  /**
   * Builds the files each step of a compaction leaves behind: `pre` holds journal-1 with A;
   * `post` holds snapshot-2 (A) and journal-2 (B) after a completed compaction.
   */
  async function compactionFiles() {
    const pre = await tempDir();
    const post = await tempDir();
    await writeUnits(pre, A.map((r) => [r]));
    await writeUnits(post, A.map((r) => [r]));
    const { journal } = await openJournal({ dir: post });
    await journal.compact(() => A);
    for (const r of B) await journal.append([r]);
    await journal.close();
    return {
      journal1: join(pre, 'journal-0000000001.log'),
      journal2: join(post, 'journal-0000000002.log'),
      snapshot2: join(post, 'snapshot-0000000002.bson'),
    };
  }

  async function crashState(parts: Array<[from: string, name: string, keepBytes?: number]>): Promise<string> {
    const dir = await tempDir();
    await mkdir(dir, { recursive: true });
    for (const [from, name, keepBytes] of parts) {
      const bytes = await readFile(from);
      await writeFile(join(dir, name), keepBytes === undefined ? bytes : bytes.subarray(0, keepBytes));
    }
    return dir;
  }

  it('ignores a half-written temp snapshot and replays the old segments', async () => {
    const f = await compactionFiles();
    const half = Math.floor((await stat(f.snapshot2)).size / 2);
    const dir = await crashState([
      [f.journal1, 'journal-0000000001.log'],
      [f.journal2, 'journal-0000000002.log'],
      [f.snapshot2, 'snapshot-0000000002.bson.tmp', half],
    ]);
    expect(await recover(dir)).toEqual([...A, ...B]);
    expect(await files(dir)).toEqual(['journal-0000000001.log', 'journal-0000000002.log']);
  });

  it('ignores a complete temp snapshot that was never renamed', async () => {
    const f = await compactionFiles();
    const dir = await crashState([
      [f.journal1, 'journal-0000000001.log'],
      [f.journal2, 'journal-0000000002.log', 0],
      [f.snapshot2, 'snapshot-0000000002.bson.tmp'],
    ]);
    const { journal, recovered } = await openJournal({ dir });
    expect(recovered).toEqual(A);
    // Appends go on in the newest segment, which recovery reads.
    await journal.append(B);
    await journal.close();
    expect(await recover(dir)).toEqual([...A, ...B]);
  });

  it('uses the renamed snapshot once, without replaying the old segment it superseded', async () => {
    const f = await compactionFiles();
    const dir = await crashState([
      [f.journal1, 'journal-0000000001.log'],
      [f.snapshot2, 'snapshot-0000000002.bson'],
      [f.journal2, 'journal-0000000002.log'],
    ]);
    expect(await recover(dir)).toEqual([...A, ...B]);
    // The superseded segment is cleaned up at open.
    expect(await files(dir)).toEqual(['journal-0000000002.log', 'snapshot-0000000002.bson']);
  });

  it('falls back to the old segments when the renamed snapshot is damaged', async () => {
    const f = await compactionFiles();
    const size = (await stat(f.snapshot2)).size;
    const dir = await crashState([
      [f.journal1, 'journal-0000000001.log'],
      [f.snapshot2, 'snapshot-0000000002.bson', size - 5],
      [f.journal2, 'journal-0000000002.log'],
    ]);
    const log = captureLogger();
    expect(await recover(dir, log.logger)).toEqual([...A, ...B]);
    expect(log.errors()).toHaveLength(1);
  });

  it('fails loudly when the snapshot is damaged and the old segments are gone', async () => {
    const f = await compactionFiles();
    const size = (await stat(f.snapshot2)).size;
    const dir = await crashState([
      [f.snapshot2, 'snapshot-0000000002.bson', size - 5],
      [f.journal2, 'journal-0000000002.log'],
    ]);
    await expect(openJournal({ dir })).rejects.toBeInstanceOf(JournalCorruptionError);
  });

  it('fails loudly when early segments are missing and there is no snapshot', async () => {
    const f = await compactionFiles();
    const dir = await crashState([[f.journal2, 'journal-0000000002.log']]);
    await expect(openJournal({ dir })).rejects.toBeInstanceOf(JournalCorruptionError);
  });
});

describe('journal under SIGKILL', () => {
  const fixture = fileURLToPath(new URL('./fixtures/journal-writer.ts', import.meta.url));

  /**
   * Runs the writer child until it has acknowledged `killAfter` records, then SIGKILLs it;
   * with `crashAt` the child SIGKILLs itself at that compaction step instead.
   */
  function runAndKill(
    dir: string,
    mode: 'plain' | 'compact',
    killAfter: number,
    crashAt?: CompactionStep,
  ): Promise<Set<number>> {
    return new Promise((resolve, reject) => {
      const args = ['--import', 'tsx', fixture, dir, mode, '20', '40', ...(crashAt ? [crashAt] : [])];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const acked = new Set<number>();
      let stderr = '';
      let buffered = '';
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.stdout.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const match = /^ack (\d+)$/.exec(line);
          if (match) acked.add(Number(match[1]));
        }
        if (acked.size >= killAfter && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      });
      child.on('error', reject);
      // 'close' fires after stdout is drained: every ack the child printed has been read.
      child.on('close', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code ?? signal}: ${stderr}`));
        else resolve(acked);
      });
    });
  }

  it.each(['plain', 'compact'] as const)('keeps every acknowledged record (%s)', async (mode) => {
    const dir = await tempDir();
    for (let round = 0; round < 2; round++) {
      const acked = await runAndKill(dir, mode, 300);
      expect(acked.size).toBeGreaterThanOrEqual(300);
      await expectAllAcked(dir, acked);
    }
  });

  async function expectAllAcked(dir: string, acked: Set<number>): Promise<void> {
    const { journal, recovered } = await openJournal({ dir });
    const seqs = recovered.map((r) => r.seq as number);
    expect(new Set(seqs).size).toBe(seqs.length);
    const present = new Set(seqs);
    const missing = [...acked].filter((seq) => !present.has(seq));
    expect(missing).toEqual([]);
    await journal.close();
  }

  const journals = (names: string[]) => names.filter((n) => n.startsWith('journal-')).length;
  const has = (names: string[], pattern: RegExp) => names.some((n) => pattern.test(n));
  // What each crash point leaves on disk, to prove the crash happened where intended.
  it.each([
    ['rotated', (names: string[]) => journals(names) >= 2],
    ['snapshot-written', (names: string[]) => has(names, /\.tmp$/) && journals(names) >= 2],
    ['snapshot-renamed', (names: string[]) => has(names, /^snapshot-.*\.bson$/) && journals(names) >= 2],
    ['directory-synced', (names: string[]) => has(names, /^snapshot-.*\.bson$/) && journals(names) >= 2],
    ['old-file-removed', (names: string[]) => has(names, /^snapshot-.*\.bson$/)],
  ] as const)('keeps every acknowledged record when killed at compaction step %s', async (step, leftBehind) => {
    const dir = await tempDir();
    const acked = await runAndKill(dir, 'compact', Number.POSITIVE_INFINITY, step);
    expect(acked.size).toBeGreaterThanOrEqual(100);
    expect(leftBehind(await files(dir))).toBe(true);
    await expectAllAcked(dir, acked);
  });
});
