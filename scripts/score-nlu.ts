/**
 * Scores a labelled NLU file against the real parser CLI.
 *   npx tsx scripts/score-nlu.ts tests/fixtures/nlu-holdout.jsonl
 * Each line of the file is {"text": "...", "expected": {"intent": "...", "items": [...]}}.
 * The texts are piped, one {"text": ...} JSON line each, to `npm run --silent parse`, which prints
 * one {"intent": ..., "items": [...]} line per input. A case passes when the intent is the same and
 * the items are the same in the same order (product, unit, quantity within 1e-9, amountRp); the
 * rules live in tests/language/nlu-scoring.ts, shared with the corpus test.
 * Prints the accuracy and every failure as text / expected / got. Exits 0.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFailures, readLabelledFile, scoreAnswers, type Answer } from '../tests/language/nlu-scoring.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx scripts/score-nlu.ts <file.jsonl>');
  process.exit(2);
}

const cases = readLabelledFile(file);

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const input = cases.map((c) => JSON.stringify({ text: c.text })).join('\n') + '\n';
const run = spawnSync('npm', ['run', '--silent', 'parse'], {
  cwd: repoRoot,
  input,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (run.error) throw run.error;
if (run.stderr?.trim()) console.error(run.stderr.trim());

const outLines = run.stdout.split('\n').filter((l) => l.trim() !== '');
if (outLines.length !== cases.length) {
  console.log(`WARNING: ${cases.length} inputs but ${outLines.length} output lines`);
}

const answers = cases.map((_, k): Answer | undefined => {
  const line = outLines[k];
  if (line === undefined) return undefined;
  try {
    return { result: JSON.parse(line) as unknown };
  } catch {
    return { error: line };
  }
});

const score = scoreAnswers(file, cases, answers);
const pct = score.total ? (100 * score.accuracy).toFixed(1) : '0.0';
console.log(`accuracy: ${score.passed}/${score.total} = ${pct}%`);
if (score.failures.length) {
  console.log(`\nfailures (${score.failures.length}):\n`);
  console.log(formatFailures(score));
}
process.exit(0);
