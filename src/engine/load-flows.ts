import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { displayPath } from './display-path.js';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { CompiledAction, CompiledFlow, CompiledGuard, CompiledReply, CompiledState, CompiledTransition, FlowBook, StateRef } from './flow-book.js';
import { actionRefSchema, flowFileSchema, type FlowFile, type MatchSpec } from './flow-schema.js';
import type { FlowRegistry } from './registry.js';

export interface FlowIssue {
  file: string;
  line: number;
  message: string;
}

/** A flow file is wrong; the service refuses to start. The message lists file:line for each issue. */
export class FlowValidationError extends Error {
  constructor(readonly issues: FlowIssue[]) {
    super(`Invalid conversation flows:\n${issues.map((issue) => `  ${issue.file}:${issue.line}: ${issue.message}`).join('\n')}`);
    this.name = 'FlowValidationError';
  }
}

/** Answers which languages lack a locale key (empty when every language has it). */
export type LocaleKeyCheck = (key: string) => string[];

type Path = (string | number)[];

interface ParsedFile {
  file: string;
  doc: Document;
  lines: LineCounter;
  flow: FlowFile;
}

/** Reads every flows/*.yaml, validates shape and names, and compiles the FlowBook. */
export async function loadFlows(dir: string, registry: FlowRegistry, checkLocaleKey: LocaleKeyCheck): Promise<FlowBook> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.yaml') || name.endsWith('.yml')).sort();
  const sources = await Promise.all(names.map(async (name) => ({ file: displayPath(join(dir, name)), text: await readFile(join(dir, name), 'utf8') })));
  return compileFlows(sources, registry, checkLocaleKey);
}

/** Validates and compiles flow sources (exported for tests that build broken flows in memory). */
export function compileFlows(sources: { file: string; text: string }[], registry: FlowRegistry, checkLocaleKey: LocaleKeyCheck): FlowBook {
  const issues: FlowIssue[] = [];
  const parsed: ParsedFile[] = [];
  for (const source of sources) {
    const lines = new LineCounter();
    const doc = parseDocument(source.text, { lineCounter: lines, prettyErrors: true });
    if (doc.errors.length > 0) {
      for (const error of doc.errors) issues.push({ file: source.file, line: error.linePos?.[0]?.line ?? lines.linePos(error.pos[0]).line, message: error.message.split('\n')[0] });
      continue;
    }
    const result = flowFileSchema.safeParse(doc.toJS());
    if (!result.success) {
      for (const issue of result.error.issues) issues.push(describeZodIssue(source.file, doc, lines, issue));
      continue;
    }
    parsed.push({ file: source.file, doc, lines, flow: result.data });
  }
  if (issues.length > 0) throw new FlowValidationError(issues);

  const at = (file: ParsedFile, path: Path) => ({ file: file.file, line: lineOf(file.doc, file.lines, path) });
  const report = (file: ParsedFile, path: Path, message: string) => issues.push({ ...at(file, path), message });

  const seen = new Map<string, ParsedFile>();
  for (const file of parsed) {
    const previous = seen.get(file.flow.id);
    if (previous) report(file, ['id'], `flow id "${file.flow.id}" is also used in ${previous.file}`);
    seen.set(file.flow.id, file);
  }
  const stateExists = (ref: StateRef) => Boolean(seen.get(ref.flow)?.flow.states[ref.state]);

  const compiler = createCompiler(registry, checkLocaleKey, stateExists, report);
  const flows = new Map<string, CompiledFlow>();
  const global: CompiledTransition[] = [];
  let fallback: CompiledTransition | undefined;
  let home: StateRef | undefined;
  for (const file of parsed) {
    const { flow } = file;
    if (!flow.states[flow.initial]) report(file, ['initial'], `initial state "${flow.initial}" is not defined`);
    const states = new Map<string, CompiledState>();
    for (const [name, state] of Object.entries(flow.states)) {
      const base: Path = ['states', name];
      const ref = { flow: flow.id, state: name };
      states.set(name, {
        ref,
        entry: {
          do: compiler.actions(file, flow.id, state.entry?.do ?? [], [...base, 'entry', 'do']),
          reply: compiler.replies(file, state.entry?.reply ?? [], [...base, 'entry', 'reply']),
        },
        on: (state.on ?? []).map((t, i) => compiler.transition(file, flow.id, t, [...base, 'on', i])),
        always: (state.always ?? []).map((t, i) => compiler.transition(file, flow.id, t, [...base, 'always', i])),
        otherwise: state.otherwise ? compiler.transition(file, flow.id, state.otherwise, [...base, 'otherwise']) : undefined,
        ask: compiler.replies(file, state.ask ?? [], [...base, 'ask']),
      });
    }
    flows.set(flow.id, {
      id: flow.id,
      initial: flow.initial,
      states,
      common: (flow.common ?? []).map((t, i) => compiler.transition(file, flow.id, t, ['common', i])),
    });
    global.push(...(flow.global ?? []).map((t, i) => compiler.transition(file, flow.id, t, ['global', i])));
    if (flow.fallback) {
      if (fallback) report(file, ['fallback'], 'only one flow file may declare the fallback');
      fallback = compiler.transition(file, flow.id, flow.fallback, ['fallback']);
    }
    if (flow.home) {
      if (home) report(file, ['home'], 'only one flow file may declare home');
      home = compiler.target(file, flow.id, flow.home, ['home']);
    }
  }
  if (issues.length === 0) checkEffectEvents(parsed, { flows, global }, registry, report);
  const first = parsed[0];
  if (!fallback) issues.push({ file: first?.file ?? 'flows', line: 1, message: 'no flow file declares a fallback' });
  if (!home) issues.push({ file: first?.file ?? 'flows', line: 1, message: 'no flow file declares home' });
  for (const key of registry.codeLocaleKeys) {
    const missing = checkLocaleKey(key);
    if (missing.length > 0) issues.push({ file: 'src/actions', line: 1, message: `locale key "${key}" used by code is missing in: ${missing.join(', ')}` });
  }
  if (issues.length > 0) throw new FlowValidationError(issues);
  return { flows, global, fallback: fallback!, home: home! };
}

type Report = (file: ParsedFile, path: Path, message: string) => void;

/** `state` in this flow, or `flow.state`. */
function parseStateRef(spec: string, flowId: string): StateRef {
  const dot = spec.indexOf('.');
  return dot >= 0 ? { flow: spec.slice(0, dot), state: spec.slice(dot + 1) } : { flow: flowId, state: spec };
}

/**
 * The contract between effects and flows: a flow waits only on events some effect emits (a
 * typo would wait forever), and wherever an effect runs, the state its events reach handles
 * each of them (an unhandled outcome would leave the resident without a reply).
 */
function checkEffectEvents(parsed: ParsedFile[], book: Pick<FlowBook, 'flows' | 'global'>, registry: FlowRegistry, report: Report): void {
  const emitted = new Set(Object.values(registry.actions).flatMap((action) => (action.kind === 'effect' ? action.emits : [])));
  const handles = (ref: StateRef, event: string) => {
    const flow = book.flows.get(ref.flow);
    const candidates = [...(flow?.states.get(ref.state)?.on ?? []), ...(flow?.common ?? []), ...book.global];
    return candidates.some((transition) => transition.match.some((spec) => spec.event === event));
  };
  for (const file of parsed) {
    const { flow } = file;
    const lists: { path: Path; owner?: string; transitions: RawTransition[] }[] = [
      { path: ['common'], transitions: flow.common ?? [] },
      { path: ['global'], transitions: flow.global ?? [] },
      ...(flow.fallback ? [{ path: ['fallback'], transitions: [flow.fallback], owner: undefined }] : []),
    ];
    for (const [name, state] of Object.entries(flow.states)) {
      lists.push({ path: ['states', name, 'on'], owner: name, transitions: state.on ?? [] });
      lists.push({ path: ['states', name, 'always'], owner: name, transitions: state.always ?? [] });
      if (state.otherwise) lists.push({ path: ['states', name, 'otherwise'], owner: name, transitions: [state.otherwise] });
      if (state.entry?.do) lists.push({ path: ['states', name, 'entry'], owner: name, transitions: [{ do: state.entry.do }] });
    }
    for (const { path, owner, transitions } of lists) {
      transitions.forEach((transition, index) => {
        const here: Path = path.at(-1) === 'otherwise' || path.at(-1) === 'entry' || path[0] === 'fallback' ? path : [...path, index];
        const specs = transition.match === undefined ? [] : Array.isArray(transition.match) ? transition.match : [transition.match];
        for (const spec of specs) {
          if (spec.event !== undefined && !emitted.has(spec.event)) report(file, [...here, 'match'], `no effect emits the event "${spec.event}"`);
        }
        // Events reach the state the transition leads to (its own state without a target).
        const receiver = transition.target ? parseStateRef(transition.target, flow.id) : owner !== undefined ? { flow: flow.id, state: owner } : undefined;
        (transition.do ?? []).forEach((ref, at) => {
          const name = typeof ref === 'string' ? ref : ref.action;
          const action = registry.actions[name];
          if (action?.kind !== 'effect' || action.emits.length === 0) return;
          const missing = receiver ? action.emits.filter((event) => !handles(receiver, event)) : [...action.emits];
          if (missing.length > 0) report(file, [...here, 'do', at], `effect "${name}" can emit ${missing.map((event) => `"${event}"`).join(', ')}, which ${receiver ? `state ${receiver.flow}.${receiver.state}` : 'nothing here'} does not handle`);
        });
      });
    }
  }
}
type RawTransition = { match?: MatchSpec | MatchSpec[]; guard?: string; do?: z.infer<typeof actionRefSchema>[]; reply?: unknown[]; target?: string; reenter?: boolean; reask?: boolean };

function createCompiler(registry: FlowRegistry, checkLocaleKey: LocaleKeyCheck, stateExists: (ref: StateRef) => boolean, report: Report) {
  const guard = (file: ParsedFile, spec: string, path: Path): CompiledGuard | undefined => {
    const negate = spec.startsWith('!');
    const name = negate ? spec.slice(1) : spec;
    const test = registry.guards[name];
    if (!test) {
      report(file, path, `unknown guard "${name}"`);
      return undefined;
    }
    return { name, negate, test };
  };
  const target = (file: ParsedFile, flowId: string, spec: string, path: Path): StateRef => {
    const ref = parseStateRef(spec, flowId);
    if (!stateExists(ref)) report(file, path, `unknown state "${spec}"`);
    return ref;
  };
  const actions = (file: ParsedFile, _flowId: string, specs: NonNullable<RawTransition['do']>, path: Path): CompiledAction[] =>
    specs.flatMap((spec, index) => {
      const name = typeof spec === 'string' ? spec : spec.action;
      const here = typeof spec === 'string' ? [...path, index] : [...path, index, 'action'];
      const action = registry.actions[name];
      if (!action) {
        report(file, here, `unknown action "${name}"`);
        return [];
      }
      const parsed = action.params.safeParse(typeof spec === 'string' ? {} : (spec.params ?? {}));
      if (!parsed.success) {
        report(file, typeof spec === 'string' ? here : [...path, index, 'params'], `bad params for action "${name}": ${parsed.error.issues[0]?.message}`);
        return [];
      }
      return [{ name, action, params: parsed.data as Record<string, unknown> }];
    });
  const replies = (file: ParsedFile, specs: unknown[], path: Path): CompiledReply[] =>
    specs.flatMap((raw, index) => {
      const spec = typeof raw === 'string' ? { key: raw } : (raw as { key: string; view?: string; guard?: string; join?: boolean; params?: Record<string, string | number> });
      const here = typeof raw === 'string' ? [...path, index] : [...path, index, 'key'];
      const missing = checkLocaleKey(spec.key);
      if (missing.length > 0) report(file, here, `locale key "${spec.key}" is missing in: ${missing.join(', ')}`);
      const view = spec.view ? registry.views[spec.view] : undefined;
      if (spec.view && !view) report(file, [...path, index, 'view'], `unknown view "${spec.view}"`);
      return [
        {
          key: spec.key,
          view,
          guard: spec.guard ? guard(file, spec.guard, [...path, index, 'guard']) : undefined,
          join: spec.join ?? false,
          params: spec.params ?? {},
        },
      ];
    });
  const transition = (file: ParsedFile, flowId: string, raw: RawTransition, path: Path): CompiledTransition => {
    const match = raw.match === undefined ? [] : Array.isArray(raw.match) ? raw.match : [raw.match];
    return {
      match,
      guard: raw.guard ? guard(file, raw.guard, [...path, 'guard']) : undefined,
      do: actions(file, flowId, raw.do ?? [], [...path, 'do']),
      reply: replies(file, raw.reply ?? [], [...path, 'reply']),
      target: raw.target ? target(file, flowId, raw.target, [...path, 'target']) : undefined,
      reenter: raw.reenter ?? false,
      reask: raw.reask ?? false,
      source: `${basename(file.file)}:${lineOf(file.doc, file.lines, path)}`,
    };
  };
  return { guard, target, actions, replies, transition };
}

/** The 1-based line of the deepest node that exists along `path`. */
function lineOf(doc: Document, lines: LineCounter, path: Path): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return lines.linePos(range[0]).line;
  }
  return 1;
}

function describeZodIssue(file: string, doc: Document, lines: LineCounter, issue: z.core.$ZodIssue): FlowIssue {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    // Point at the offending key itself, not at the map that holds it.
    const holder = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (isMap(holder)) {
      const pair = holder.items.find((item) => isScalar(item.key) && issue.keys.includes(String(item.key.value)));
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range) return { file, line: lines.linePos(range[0]).line, message: `unknown field "${issue.keys.join('", "')}"${path.length ? ` in ${path.join('.')}` : ''}` };
    }
  }
  return { file, line: lineOf(doc, lines, path), message: `${path.join('.') || 'file'}: ${issue.message}` };
}
