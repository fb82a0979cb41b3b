import { findState, type CompiledAction, type CompiledGuard, type CompiledReply, type CompiledState, type CompiledTransition, type FlowBook, type StateRef } from './flow-book.js';
import type { Conversation } from './conversation.js';
import { matchInput } from './match-input.js';
import type { ReplyMessage } from './reply-message.js';
import type { EffectCall, FlowContext, TransitionInput, TransitionResult } from './transition-types.js';

/** Routing states chaining into each other more often than this is a loop in the flows. */
const MAX_HOPS = 12;

export class FlowRuntimeError extends Error {
  constructor(message: string, readonly where: string) {
    super(`${message} (${where})`);
    this.name = 'FlowRuntimeError';
  }
}

/**
 * The pure heart of the engine: given the compiled flows, where the conversation is and
 * one input, returns the next conversation, the replies (keys + params) and the effects
 * to run. No I/O, no clock: time and data arrive in `input.facts`.
 */
export function transition(book: FlowBook, conversation: Conversation, input: TransitionInput): TransitionResult {
  const draft: Conversation = structuredClone(conversation);
  if (!findState(book, draft)) Object.assign(draft, { flow: book.home.flow, state: book.home.state });
  const context: FlowContext = { conversation: draft, input, facts: input.facts };
  const replies: ReplyMessage[] = [];
  const effects: EffectCall[] = [];
  let hops = 0;

  const passes = (guard: CompiledGuard | undefined) => !guard || guard.test(context) !== guard.negate;
  const runActions = (actions: CompiledAction[]) => {
    for (const { name, action, params } of actions) {
      if (action.kind === 'effect') effects.push({ action: name, params });
      else replies.push(...(action.run(context, params) ?? []));
    }
  };
  const renderReplies = (specs: CompiledReply[]) => {
    for (const spec of specs) {
      if (!passes(spec.guard)) continue;
      const params = { ...spec.params, ...(spec.view ? spec.view(context) : {}) };
      replies.push({ key: spec.key, params, ...(spec.join ? { join: true } : {}) });
    }
  };
  const enter = (target: StateRef, reenter: boolean, where: string) => {
    if (++hops > MAX_HOPS) throw new FlowRuntimeError('too many state changes in one step', where);
    const state = findState(book, target);
    if (!state) throw new FlowRuntimeError(`unknown state ${target.flow}.${target.state}`, where);
    const same = draft.flow === target.flow && draft.state === target.state;
    draft.flow = target.flow;
    draft.state = target.state;
    if (same && !reenter) return;
    runActions(state.entry.do);
    renderReplies(state.entry.reply);
    const next = state.always.find((candidate) => passes(candidate.guard));
    if (next) take(next);
  };
  const take = (chosen: CompiledTransition) => {
    runActions(chosen.do);
    renderReplies(chosen.reply);
    if (chosen.target) enter(chosen.target, chosen.reenter, chosen.source);
    // The question still open ("ongkirnya berapa?" answered, then "Diambil atau diantar?" again).
    else if (chosen.reask) renderReplies(findState(book, draft)?.ask ?? []);
  };

  const chosen = selectTransition(book, draft, input, passes);
  if (chosen) take(chosen);
  return { conversation: draft, replies, effects, matched: Boolean(chosen) };
}

/** State transitions, then the flow's common ones, then global ones; then the state's otherwise, then the fallback. */
function selectTransition(
  book: FlowBook,
  conversation: Conversation,
  input: TransitionInput,
  passes: (guard: CompiledGuard | undefined) => boolean,
): CompiledTransition | undefined {
  const state = findState(book, conversation) as CompiledState;
  const flow = book.flows.get(conversation.flow)!;
  const candidates = [...state.on, ...flow.common, ...book.global];
  const matched = candidates.find((candidate) => candidate.match.some((spec) => matchInput(spec, input)) && passes(candidate.guard));
  if (matched || input.kind === 'event') return matched;
  if (state.otherwise && passes(state.otherwise.guard)) return state.otherwise;
  return book.fallback;
}
