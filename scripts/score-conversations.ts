/**
 * Scores whole conversations against what must be stored at their end (see
 * conversation-sets.ts). A held-out set is scored once, before anyone tunes the code to it;
 * that first score is the one to report.
 *
 *   npx tsx scripts/score-conversations.ts tests/holdout/conversations [--verbose]
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCoop } from '../src/demo/coop.js';
import { start } from '../src/main.js';
import { loadConversationSet, playConversationSet } from './conversation-sets.js';

const folder = process.argv[2];
const verbose = process.argv.includes('--verbose');
if (!folder) throw new Error('usage: npx tsx scripts/score-conversations.ts <folder of *.json> [--verbose]');
const cases = await loadConversationSet(folder);

const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-score-'));
const service = await start({ NODE_ENV: 'test', PORT: '0', EMBEDDED_MONGO_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ADMIN_TOKEN: randomUUID() + randomUUID() }, { schedule: false });
let results;
try {
  results = await playConversationSet(service, demoCoop._id, cases);
} finally {
  await service.stop();
  await rm(dataDir, { recursive: true, force: true });
}

const byCategory = new Map<string, { passed: number; total: number }>();
for (const result of results) {
  const category = result.case.why.split(':')[0].trim();
  const tally = byCategory.get(category) ?? { passed: 0, total: 0 };
  tally.total++;
  if (result.passed) tally.passed++;
  byCategory.set(category, tally);
  if (result.passed) continue;
  console.log(`${result.case.id} (${result.case.why})${result.silentlyWrong ? '  ** stored what the resident did not ask for **' : ''}`);
  console.log(`  expected: ${result.expected.join('; ') || 'no order'}\n  stored:   ${result.stored.join('; ') || 'no order'}${verbose ? `\n${result.transcript.join('\n')}` : ''}\n`);
}
for (const [category, tally] of [...byCategory].sort()) console.log(`${category.padEnd(40)} ${tally.passed}/${tally.total}`);
const passed = results.filter((result) => result.passed).length;
const silent = results.filter((result) => !result.passed && result.silentlyWrong).length;
console.log(`\nconversations: ${passed}/${cases.length} stored exactly what the resident meant (${((100 * passed) / cases.length).toFixed(1)}%); ${silent} stored something else`);
