/**
 * Scores a labelled NLU file against the real parser CLI.
 *   npx tsx scripts/score-nlu.ts tests/fixtures/nlu-holdout.jsonl
 * Each line of the file is {"text": "...", "expected": {"intent": "...", "items": [...]}}.
 * The texts are piped, one {"text": ...} JSON line each, to `npm run --silent parse`, which prints
 * one {"intent": ..., "items": [...]} line per input. A case passes when the intent is the same and
 * the items are the same in the same order (product, unit, quantity within 1e-9, amountRp).
 * Prints the accuracy and every failure as text / expected / got. Exits 0.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Item {
  product: string;
  unit?: string;
  quantity?: number;
  amountRp?: number;
}
interface Parse {
  intent: string;
  items: Item[];
}
interface Case {
  line: number;
  text: string;
  expected: Parse;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx scripts/score-nlu.ts <file.jsonl>');
  process.exit(2);
}

const cases: Case[] = [];
readFileSync(file, 'utf8')
  .split('\n')
  .forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const obj = JSON.parse(line) as { text: string; expected: Parse };
    cases.push({ line: i + 1, text: obj.text, expected: obj.expected });
  });

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

function sameNum(a: number | undefined, b: number | undefined, eps: number): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Math.abs(a - b) <= eps;
}
function sameItem(e: Item, g: Item): boolean {
  return (
    e.product === g.product &&
    (e.unit ?? undefined) === (g.unit ?? undefined) &&
    sameNum(e.quantity, g.quantity ?? undefined, 1e-9) &&
    sameNum(e.amountRp, g.amountRp ?? undefined, 0)
  );
}
function same(e: Parse, g: Parse | undefined): boolean {
  if (!g || e.intent !== g.intent) return false;
  const gi = g.items ?? [];
  return e.items.length === gi.length && e.items.every((it, k) => sameItem(it, gi[k]));
}

let pass = 0;
const failures: string[] = [];
cases.forEach((c, k) => {
  let got: Parse | undefined;
  try {
    got = outLines[k] === undefined ? undefined : (JSON.parse(outLines[k]) as Parse);
  } catch {
    got = undefined;
  }
  if (same(c.expected, got)) {
    pass++;
  } else {
    failures.push(
      [
        `#${c.line} text:     ${JSON.stringify(c.text)}`,
        `   expected: ${JSON.stringify(c.expected)}`,
        `   got:      ${outLines[k] ?? '(no output)'}`,
      ].join('\n'),
    );
  }
});

const pct = cases.length ? ((100 * pass) / cases.length).toFixed(1) : '0.0';
console.log(`accuracy: ${pass}/${cases.length} = ${pct}%`);
if (failures.length) {
  console.log(`\nfailures (${failures.length}):\n`);
  console.log(failures.join('\n\n'));
}
process.exit(0);
