import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from '@jest/globals';

const root = fileURLToPath(new URL('../..', import.meta.url));
let child: ChildProcessWithoutNullStreams;
let buffered = '';
let waiting: ((line: string) => void)[] = [];
const lines: string[] = [];

function takeLine(): Promise<string> {
  const ready = lines.shift();
  if (ready !== undefined) return Promise.resolve(ready);
  return new Promise((resolve) => waiting.push(resolve));
}

/** Sends one message and waits for its answer: proves the CLI answers line by line, before EOF. */
async function ask(text: string): Promise<unknown> {
  child.stdin.write(`${text}\n`);
  return JSON.parse(await takeLine());
}

beforeAll(() => {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/parse-cli.ts'], { cwd: root });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
      newline = buffered.indexOf('\n');
    }
  });
});

afterAll(async () => {
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  waiting = [];
});

test('answers each line as it arrives, in the contract shape', async () => {
  expect(await ask('kak mau pesen beras 5kg sm migor 2 liter ya')).toEqual({
    intent: 'order',
    items: [
      { product: 'BERAS-MED', unit: 'kg', quantity: 5 },
      { product: 'MINYAKITA', unit: 'liter', quantity: 2 },
    ],
  });
  expect(await ask('telor sepapan brp?')).toEqual({ intent: 'price', items: [{ product: 'TELUR', unit: 'papan', quantity: 1 }] });
  expect(await ask('minyak 10 ribu')).toEqual({ intent: 'order', items: [{ product: 'MINYAKITA', amountRp: 10000 }] });
  expect(await ask('bawang 1kg')).toEqual({ intent: 'order', items: [] });
});

test('prints the fallback for empty and odd lines', async () => {
  expect(await ask('')).toEqual({ intent: 'unknown', items: [] });
  expect(await ask('\u0000{not json')).toEqual({ intent: 'unknown', items: [] });
});

test('decodes a JSON string line so a multi-line message fits on one line', async () => {
  expect(await ask(JSON.stringify('1. beras 5kg\n2. gula 1kg'))).toEqual({
    intent: 'order',
    items: [
      { product: 'BERAS-MED', unit: 'kg', quantity: 5 },
      { product: 'GULA', unit: 'kg', quantity: 1 },
    ],
  });
});

test('reads a literal backslash-n as a line break inside one message', async () => {
  expect(await ask('beras 5kg\\ngula 1kg')).toEqual({
    intent: 'order',
    items: [
      { product: 'BERAS-MED', unit: 'kg', quantity: 5 },
      { product: 'GULA', unit: 'kg', quantity: 1 },
    ],
  });
});

test('prints exactly one line per input line and nothing else', async () => {
  child.stdin.write('halo\nsaldo\n\n');
  const answers = [await takeLine(), await takeLine(), await takeLine()];
  expect(answers.map((a) => (JSON.parse(a) as { intent: string }).intent)).toEqual(['greeting', 'balance', 'unknown']);
  expect(lines).toEqual([]);
});
