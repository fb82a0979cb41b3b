import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { toBaileysLogger } from '../../../src/channels/baileys/baileys-logger.js';
import { createLogger } from '../../../src/logger.js';

function capture(level: string) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level, pretty: false }, sink), lines };
}

describe('toBaileysLogger', () => {
  it('masks phone numbers in the jids Baileys logs, in fields, nested objects, errors and messages', () => {
    const { logger, lines } = capture('info');
    const baileys = toBaileysLogger(logger, 'warn');
    baileys.warn({ attrs: { from: '6281234567890@s.whatsapp.net' }, key: { remoteJid: '6281299990000:3@s.whatsapp.net' } }, 'received error in ack');
    baileys.error({ error: new Error('no session for 6281277776666.0') }, 'failed to decrypt 6281266665555@s.whatsapp.net');
    baileys.child({ jid: '6281255554444@s.whatsapp.net' }).warn({ n: 1 }, 'child');
    const output = lines.join('');
    for (const full of ['6281234567890', '6281299990000', '6281277776666', '6281266665555', '6281255554444']) expect(output).not.toContain(full);
    expect(output).toContain('628123****7890@s.whatsapp.net');
    expect(output).toContain('no session for');
    expect(lines).toHaveLength(3);
  });

  it('keeps Baileys quiet below its level unless the service logs at debug', () => {
    const quiet = capture('info');
    toBaileysLogger(quiet.logger, 'warn').info({ x: 1 }, 'connected to WA');
    expect(quiet.lines).toHaveLength(0);
    const verbose = capture('debug');
    toBaileysLogger(verbose.logger, 'warn').debug({ x: 1 }, 'recv frame');
    expect(verbose.lines).toHaveLength(1);
  });

  it('replaces binary data by its size instead of dumping it', () => {
    const { logger, lines } = capture('info');
    toBaileysLogger(logger).warn({ frame: Buffer.alloc(64, 1), bytes: new Uint8Array(8) }, 'frame');
    const record = JSON.parse(lines[0]) as { frame: unknown; bytes: unknown };
    expect(record.frame).toBe('<bytes>');
    expect(record.bytes).toBe('<8 bytes>');
  });
});
