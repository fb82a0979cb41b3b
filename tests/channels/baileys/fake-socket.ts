import { EventEmitter } from 'node:events';
import type { AnyMessageContent, BaileysEventEmitter, BaileysEventMap, UserFacingSocketConfig, WAMessage, WAMessageKey, WAPresence } from '@whiskeysockets/baileys';
import type { BaileysSocket, SocketFactory } from '../../../src/channels/baileys/baileys-socket.js';

/** One recorded call on a fake socket, in the order calls happened. */
export type FakeCall =
  | { method: 'sendMessage'; jid: string; content: AnyMessageContent }
  | { method: 'sendPresenceUpdate'; presence: WAPresence; jid?: string }
  | { method: 'readMessages'; keys: WAMessageKey[] }
  | { method: 'requestPairingCode'; phone: string }
  | { method: 'end' }
  | { method: 'logout' };

/**
 * Stands in for a Baileys socket (the WhatsApp servers sit behind it): `ev` is an
 * EventEmitter with Baileys' on/off/emit/removeAllListeners, and every method records its call.
 */
export class FakeSocket implements BaileysSocket {
  readonly emitter = new EventEmitter();
  readonly ev: BaileysEventEmitter = {
    on: (event, listener) => void this.emitter.on(event, listener as (arg: unknown) => void),
    off: (event, listener) => void this.emitter.off(event, listener as (arg: unknown) => void),
    removeAllListeners: (event) => void this.emitter.removeAllListeners(event),
    emit: (event, arg) => this.emitter.emit(event, arg),
  };
  readonly calls: FakeCall[];
  readonly lidToPhone = new Map<string, string>();
  readonly signalRepository = {
    lidMapping: { getPNForLID: async (lid: string) => this.lidToPhone.get(lid) ?? null },
  };
  pairingCode = 'ABCD1234';
  private sentCount = 0;

  constructor(
    readonly config: UserFacingSocketConfig,
    /** Shared with the test so calls of every socket (and the handler) land in one timeline. */
    calls: FakeCall[] = [],
  ) {
    this.calls = calls;
  }

  async sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined> {
    this.calls.push({ method: 'sendMessage', jid, content });
    this.sentCount += 1;
    return { key: { remoteJid: jid, fromMe: true, id: `3EB0SENT${this.sentCount}` } };
  }
  async sendPresenceUpdate(presence: WAPresence, jid?: string): Promise<void> {
    this.calls.push({ method: 'sendPresenceUpdate', presence, jid });
  }
  async readMessages(keys: WAMessageKey[]): Promise<void> {
    this.calls.push({ method: 'readMessages', keys });
  }
  async requestPairingCode(phone: string): Promise<string> {
    this.calls.push({ method: 'requestPairingCode', phone });
    return this.pairingCode;
  }
  async end(error: Error | undefined): Promise<void> {
    this.calls.push({ method: 'end' });
    // Baileys' end() reports the close like any other.
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }
  async logout(): Promise<void> {
    this.calls.push({ method: 'logout' });
  }

  emit<T extends keyof BaileysEventMap>(event: T, arg: BaileysEventMap[T]): void {
    this.ev.emit(event, arg);
  }
  open(): void {
    this.emit('connection.update', { connection: 'open' });
  }
  showQr(qr: string): void {
    this.emit('connection.update', { qr });
  }
  /** Closes as WhatsApp does: the error is a Boom, whose output.statusCode carries the reason. */
  close(statusCode: number): void {
    const error = Object.assign(new Error(`Connection Failure (${statusCode})`), { isBoom: true, output: { statusCode } });
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }
  listenerCount(event: keyof BaileysEventMap): number {
    return this.emitter.listenerCount(event);
  }
}

/** A socket factory that keeps every socket it made. */
export function createFakeSocketFactory(calls: FakeCall[] = []): { factory: SocketFactory; sockets: FakeSocket[]; calls: FakeCall[] } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    calls,
    factory: (config) => {
      const socket = new FakeSocket(config, calls);
      sockets.push(socket);
      return socket;
    },
  };
}
