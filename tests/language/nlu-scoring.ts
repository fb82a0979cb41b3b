/**
 * Scoring of labelled NLU files (one {"text": ..., "expected": {"intent": ..., "items": [...]}} per
 * line) against parser answers in the CLI contract shape. Shared by tests/language/corpus.test.ts
 * (answers from parseToContract in process) and scripts/score-nlu.ts (answers from the parse CLI),
 * so both judge a case the same way.
 */
import { readFileSync } from 'node:fs';

export interface LabelledItem {
  product: string;
  unit?: string;
  quantity?: number;
  amountRp?: number;
}

export interface LabelledResult {
  intent: string;
  items: LabelledItem[];
}

export interface LabelledCase {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  expected: LabelledResult;
}

/** What the parser gave for one case: its result, or why there is none. */
export type Answer = { result: unknown } | { error: string };

export interface ScoreFailure {
  case: LabelledCase;
  got: string;
}

export interface Score {
  name: string;
  total: number;
  passed: number;
  accuracy: number;
  failures: ScoreFailure[];
}

/** Reads a labelled .jsonl file; a malformed line fails naming the file and line. */
export function readLabelledFile(path: string | URL): LabelledCase[] {
  const cases: LabelledCase[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '') return;
      let parsed: { text: string; expected: LabelledResult };
      try {
        parsed = JSON.parse(line) as { text: string; expected: LabelledResult };
      } catch (err) {
        throw new Error(`${String(path)} line ${i + 1} is not valid JSON: ${(err as Error).message}`, { cause: err });
      }
      cases.push({ line: i + 1, text: parsed.text, expected: parsed.expected });
    });
  return cases;
}

/** Absent and null are the same (JSON has no undefined). */
function sameNumber(expected: number | undefined, got: unknown, epsilon: number): boolean {
  const g = got ?? undefined;
  if (expected === undefined || g === undefined) return expected === g;
  return typeof g === 'number' && Math.abs(g - expected) <= epsilon;
}

function sameItem(expected: LabelledItem, got: unknown): boolean {
  if (typeof got !== 'object' || got === null) return false;
  const g = got as Record<string, unknown>;
  return (
    g.product === expected.product &&
    (g.unit ?? undefined) === expected.unit &&
    sameNumber(expected.quantity, g.quantity, 1e-9) &&
    sameNumber(expected.amountRp, g.amountRp, 0)
  );
}

/** A case passes when the intent is the same and the items are the same, in the same order. */
export function matchesExpected(expected: LabelledResult, got: unknown): boolean {
  if (typeof got !== 'object' || got === null) return false;
  const g = got as { intent?: unknown; items?: unknown };
  if (g.intent !== expected.intent) return false;
  const items = Array.isArray(g.items) ? (g.items as unknown[]) : [];
  return items.length === expected.items.length && expected.items.every((item, k) => sameItem(item, items[k]));
}

/** Scores answers (one per case, same order) against the cases. */
export function scoreAnswers(name: string, cases: readonly LabelledCase[], answers: readonly (Answer | undefined)[]): Score {
  const failures: ScoreFailure[] = [];
  cases.forEach((c, k) => {
    const answer = answers[k];
    if (answer === undefined) failures.push({ case: c, got: '(no output)' });
    else if ('error' in answer) failures.push({ case: c, got: answer.error });
    else if (!matchesExpected(c.expected, answer.result)) failures.push({ case: c, got: JSON.stringify(answer.result) });
  });
  const passed = cases.length - failures.length;
  return { name, total: cases.length, passed, accuracy: cases.length === 0 ? 0 : passed / cases.length, failures };
}

/** Scores a parse function run in process; a throw is a failed case, not a failed run. */
export function scoreParser(name: string, cases: readonly LabelledCase[], parse: (text: string) => unknown): Score {
  const answers = cases.map((c): Answer => {
    try {
      return { result: parse(c.text) };
    } catch (err) {
      return { error: `threw: ${(err as Error).message}` };
    }
  });
  return scoreAnswers(name, cases, answers);
}

/** Every failure as text / expected / got, with its line number in the file. */
export function formatFailures(score: Score): string {
  return score.failures
    .map(
      (f) =>
        `#${f.case.line} text:     ${JSON.stringify(f.case.text)}\n` +
        `   expected: ${JSON.stringify(f.case.expected)}\n` +
        `   got:      ${f.got}`,
    )
    .join('\n\n');
}

/** "name: 300/307 correct (97.7%)", then every failure. */
export function formatScore(score: Score): string {
  const head = `${score.name}: ${score.passed}/${score.total} correct (${(score.accuracy * 100).toFixed(1)}%)`;
  if (score.failures.length === 0) return head;
  return `${head}, ${score.failures.length} failing:\n\n${formatFailures(score)}`;
}
