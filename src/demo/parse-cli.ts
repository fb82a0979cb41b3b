/**
 * Reads messages from stdin, one per line, and prints one JSON line per message:
 * {"intent":…,"items":[…]}. Streams line by line; never prints anything else to stdout.
 * A line holding a JSON string ("\"beras 5kg\\ngula 1kg\"") is decoded first, so multi-line
 * messages can be sent on one line.
 */
import { createInterface } from 'node:readline';
import { parseToContract, type ContractResult } from './parse-to-contract.js';

const FALLBACK: ContractResult = { intent: 'unknown', items: [] };

function decodeLine(line: string): string {
  const trimmed = line.trim();
  const quoted = trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"');
  const object = trimmed.startsWith('{"') && trimmed.endsWith('}');
  if (quoted || object) {
    try {
      const decoded: unknown = JSON.parse(trimmed);
      if (typeof decoded === 'string') return decoded;
      if (typeof decoded === 'object' && decoded !== null && typeof (decoded as { text?: unknown }).text === 'string') {
        return (decoded as { text: string }).text;
      }
    } catch {
      // Not JSON after all: parse the raw line.
    }
  }
  // A literal "\n" stands for a line break inside one message.
  return line.includes('\\n') ? line.split('\\n').join('\n') : line;
}

function answer(line: string): string {
  try {
    return JSON.stringify(parseToContract(decodeLine(line)));
  } catch (error) {
    process.stderr.write(`parse failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return JSON.stringify(FALLBACK);
  }
}

// A closed pipe (e.g. piped into head) ends the program quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
rl.on('line', (line) => {
  process.stdout.write(`${answer(line)}\n`);
});
