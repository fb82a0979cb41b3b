import { describe, expect, it } from '@jest/globals';
import { DisconnectReason } from '@whiskeysockets/baileys';
import { backoffDelayMs, decideOnClose, DEFAULT_BACKOFF, readStatusCode } from '../../../src/channels/baileys/reconnect-policy.js';

describe('decideOnClose', () => {
  it.each([
    [DisconnectReason.loggedOut, 'logged_out'],
    [DisconnectReason.connectionReplaced, 'replaced'],
    [DisconnectReason.restartRequired, 'restart'],
    [DisconnectReason.connectionClosed, 'reconnect'],
    [DisconnectReason.connectionLost, 'reconnect'],
    [DisconnectReason.badSession, 'reconnect'],
    [DisconnectReason.unavailableService, 'reconnect'],
    [undefined, 'reconnect'],
  ])('status %s -> %s', (statusCode, decision) => {
    expect(decideOnClose(statusCode)).toBe(decision);
  });
});

describe('readStatusCode', () => {
  it('reads a Boom-shaped error and nothing else', () => {
    expect(readStatusCode(Object.assign(new Error('x'), { output: { statusCode: 401 } }))).toBe(401);
    expect(readStatusCode(new Error('plain'))).toBeUndefined();
    expect(readStatusCode(undefined)).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the initial delay, caps, and adds at most jitterRatio on top', () => {
    const options = { initialMs: 1000, maxMs: 10_000, jitterRatio: 0.5 };
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelayMs(attempt, options, () => 0))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffDelayMs(1, options, () => 0.999)).toBe(2999);
    expect(backoffDelayMs(1000, DEFAULT_BACKOFF, () => 0)).toBe(DEFAULT_BACKOFF.maxMs);
  });
});
