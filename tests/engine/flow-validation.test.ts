import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { createFlowRegistry } from '../../src/actions/registry.js';
import { DEFAULT_FLOWS_DIR, DEFAULT_LOCALES_DIR } from '../../src/engine/chat-service.js';
import { compileFlows, FlowValidationError, loadFlows, type FlowIssue } from '../../src/engine/load-flows.js';
import { LANGUAGES, loadLocales, type Locales } from '../../src/i18n/load-locales.js';

let locales: Locales;
const registry = createFlowRegistry();
const real: { file: string; text: string }[] = [];

beforeAll(async () => {
  locales = await loadLocales(DEFAULT_LOCALES_DIR);
  for (const name of ['menu.yaml', 'order.yaml', 'balance.yaml', 'status.yaml']) {
    real.push({ file: `flows/${name}`, text: await readFile(join(DEFAULT_FLOWS_DIR, name), 'utf8') });
  }
});

/** Compiles the real flows with one file replaced; returns the issues it was refused for. */
function issuesWith(file: string, edit: (text: string) => string): FlowIssue[] {
  const sources = real.map((source) => (source.file === file ? { file, text: edit(source.text) } : source));
  try {
    compileFlows(sources, registry, locales.missingIn);
  } catch (error) {
    expect(error).toBeInstanceOf(FlowValidationError);
    return (error as FlowValidationError).issues;
  }
  throw new Error('the broken flow was accepted');
}

/** 1-based line of the first occurrence of `needle` in the edited text. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index === -1) throw new Error(`${needle} not in text`);
  return text.slice(0, index).split('\n').length;
}

function replaceOnce(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

describe('flow validation', () => {
  test('the shipped flows and locales load', async () => {
    const book = await loadFlows(DEFAULT_FLOWS_DIR, registry, locales.missingIn);
    expect([...book.flows.keys()].sort()).toEqual(['balance', 'menu', 'order', 'status']);
    expect(book.home).toEqual({ flow: 'menu', state: 'idle' });
  });

  test('every locale key exists in every language', () => {
    const [first, ...others] = LANGUAGES;
    for (const language of others) expect(locales.keysOf(language).sort()).toEqual(locales.keysOf(first).sort());
  });

  test.each([
    ['an unknown action', 'flows/order.yaml', 'do: [browse.pickCategory]', 'do: [browse.pickCategroy]', 'browse.pickCategroy', 'unknown action "browse.pickCategroy"'],
    ['an unknown guard', 'flows/balance.yaml', 'guard: pinRequired', 'guard: pinRequird', 'pinRequird', 'unknown guard "pinRequird"'],
    ['an unknown state', 'flows/status.yaml', 'target: cancel_confirm', 'target: cancel_confrim', 'cancel_confrim', 'unknown state "cancel_confrim"'],
    ['an unknown state in another flow', 'flows/menu.yaml', 'target: order.browse', 'target: order.brows', 'order.brows', 'unknown state "order.brows"'],
    ['a missing locale key', 'flows/order.yaml', '"order:ask_address",', '"order:ask_adress",', 'order:ask_adress', 'locale key "order:ask_adress" is missing in: id, en'],
    ['an unknown view', 'flows/order.yaml', 'view: categoryProducts', 'view: categoryProduct', 'categoryProduct', 'unknown view "categoryProduct"'],
    ['an unknown field', 'flows/balance.yaml', '      - match: { pin: true }', '      - match: { pin: true }\n        targt: ask_pin', 'targt', 'unknown field "targt"'],
    ['an unknown match condition', 'flows/order.yaml', 'match: { choice: any }', 'match: { choise: any }', 'choise', 'choise'],
    ['bad action params', 'flows/status.yaml', 'params: { fields: [cancelNumber] }', 'params: { fields: [] }', 'fields: []', 'bad params for action "vars.fromEvent"'],
    ['a session var value its schema refuses', 'flows/order.yaml', 'params: { payment: qris } }', 'params: { payment: cheque } }', 'payment: cheque', 'bad params for action "vars.set"'],
    ['a session var nobody declared', 'flows/order.yaml', 'params: { names: [address] } }', 'params: { names: [adress] } }', 'adress', 'bad params for action "vars.unset"'],
  ])('%s is refused with file and line', (_name, file, from, to, needle, message) => {
    const edited = replaceOnce(real.find((source) => source.file === file)!.text, from, to);
    const issues = issuesWith(file, () => edited);
    expect(issues).toHaveLength(1);
    expect(issues[0].file).toBe(file);
    expect(issues[0].line).toBe(lineOf(edited, needle));
    expect(issues[0].message).toContain(message);
  });

  test('waiting on an event no effect emits (a typo) is refused, and so is the outcome now unhandled', () => {
    const edited = replaceOnce(real.find((source) => source.file === 'flows/status.yaml')!.text, 'match: { event: orders.none }', 'match: { event: orders.nothing }');
    const issues = issuesWith('flows/status.yaml', () => edited);
    expect(issues.map((issue) => [issue.line, issue.message])).toEqual([
      [lineOf(edited, 'do: [orders.loadRecent]'), 'effect "orders.loadRecent" can emit "orders.none", which state status.loading does not handle'],
      [lineOf(edited, 'orders.nothing'), 'no effect emits the event "orders.nothing"'],
    ]);
  });

  test('a state that runs an effect without handling each of its outcomes is refused at the effect', () => {
    const edited = replaceOnce(real.find((source) => source.file === 'flows/balance.yaml')!.text, '      - match: { event: pin.not_member }\n', '      - match: { event: pin.locked }\n');
    const issues = issuesWith('flows/balance.yaml', () => edited);
    // Every state that runs the PIN check is named (the request with the PIN, and the answer to the question).
    const lines = edited.split('\n').flatMap((text, index) => (text.includes('do: [member.checkPin]') ? [index + 1] : []));
    expect(lines.length).toBeGreaterThan(0);
    expect(issues).toEqual(lines.map((line) => ({ file: 'flows/balance.yaml', line, message: 'effect "member.checkPin" can emit "pin.not_member", which state balance.checking_pin does not handle' })));
  });

  test('broken YAML is refused with file and line', () => {
    const issues = issuesWith('flows/status.yaml', (text) => replaceOnce(text, '  loading:\n', '  loading:\n    on: [\n'));
    expect(issues[0].file).toBe('flows/status.yaml');
    expect(issues[0].line).toBeGreaterThan(1);
  });

  test('the error message names file:line so the service refuses to start legibly', () => {
    const sources = real.map((source) => (source.file === 'flows/order.yaml' ? { ...source, text: source.text.replace('do: [cart.clear]', 'do: [cart.clean]') } : source));
    expect(() => compileFlows(sources, registry, locales.missingIn)).toThrow(/flows\/order\.yaml:\d+: unknown action "cart\.clean"/);
  });

  test('a flow without home or fallback is refused', () => {
    const issues = issuesWith('flows/menu.yaml', (text) => replaceOnce(text, 'home: idle\n', ''));
    expect(issues.map((issue) => issue.message)).toContain('no flow file declares home');
  });
});

describe('start-up refuses broken files', () => {
  test('createChatService names the flow file and line', async () => {
    const { mkdtemp, cp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { createChatService } = await import('../../src/engine/chat-service.js');
    const { silentLogger } = await import('../../src/logger.js');
    const dir = await mkdtemp(join(tmpdir(), 'kdmp-flows-'));
    try {
      await cp(DEFAULT_FLOWS_DIR, dir, { recursive: true });
      const text = await readFile(join(dir, 'balance.yaml'), 'utf8');
      const broken = text.replace('do: [savings.load]', 'do: [savings.laod]');
      await writeFile(join(dir, 'balance.yaml'), broken);
      const line = broken.slice(0, broken.indexOf('savings.laod')).split('\n').length;
      // Models are not touched before validation, so none are needed here.
      await expect(createChatService({ models: {} as never, instances: {} as never, logger: silentLogger, flowsDir: dir })).rejects.toThrow(`${join(dir, 'balance.yaml')}:${line}: unknown action "savings.laod"`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a broken locale file is named with its line', async () => {
    const { mkdtemp, cp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'kdmp-locales-'));
    try {
      await cp(DEFAULT_LOCALES_DIR, dir, { recursive: true });
      const text = await readFile(join(dir, 'en', 'status.json'), 'utf8');
      await writeFile(join(dir, 'en', 'status.json'), text.replace('"none": "You', '"none" "You'));
      const line = text.slice(0, text.indexOf('"none": "You')).split('\n').length;
      await expect(loadLocales(dir)).rejects.toThrow(`${join(dir, 'en', 'status.json')}:${line}:`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
