import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { loadConversationSet, playConversationSet, type CaseResult } from '../../scripts/conversation-sets.js';
import { demoCoop } from '../../src/demo/coop.js';
import { start } from '../../src/main.js';

// Ten sets of whole conversations (60 to 130 each), written by people who had not seen the
// parser (tests/holdout/*), each scored once before the code was changed for it. Each must be
// understood at 95% or more, and no failure may store an order, address, payment or
// cancellation the resident did not ask for.

/** Plays a set on its own freshly seeded service: one set's orders must not use up another's stock. */
async function playSet(folder: string): Promise<CaseResult[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-sets-'));
  const service = await start({ NODE_ENV: 'test', PORT: '0', EMBEDDED_MONGO_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ADMIN_TOKEN: randomUUID() + randomUUID() }, { schedule: false });
  try {
    return await playConversationSet(service, demoCoop._id, await loadConversationSet(folder));
  } finally {
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe.each([
  ['tests/holdout/conversations', 130],
  ['tests/holdout/second-set', 130],
  ['tests/holdout/third-set', 130],
  ['tests/holdout/fourth-set', 120],
  ['tests/holdout/fifth-set', 120],
  ['tests/holdout/sixth-set', 60],
  ['tests/holdout/seventh-set', 120],
  ['tests/holdout/eighth-set', 100],
  ['tests/holdout/ninth-set', 100],
  ['tests/holdout/tenth-set', 100],
  ['tests/holdout/eleventh-set', 100],
  ['tests/holdout/twelfth-set', 100],
])('conversation set %s', (folder, size) => {
  test('95% or more store exactly what the resident meant, and no failure stores anything else', async () => {
    const results = await playSet(folder);
    expect(results).toHaveLength(size);
    expect(results.filter((result) => !result.passed && result.silentlyWrong).map((result) => `${result.case.id}: ${result.stored.join('; ')}`)).toEqual([]);
    const passed = results.filter((result) => result.passed).length;
    expect(passed / results.length).toBeGreaterThanOrEqual(0.95);
  }, 180_000);
});
