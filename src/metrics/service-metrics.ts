import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HandledMessage, InboundMessage } from '../channels/types.js';
import type { WhatsAppNumbers } from '../channels/whatsapp-numbers.js';
import type { Models } from '../db/models/index.js';

/** What the service counts for Prometheus; one registry per service, so tests can run several. */
export interface ServiceMetrics {
  registry: Registry;
  /** Wraps the dispatcher: counts messages by channel and outcome, and times the reply. */
  instrument(handle: (message: InboundMessage) => Promise<HandledMessage>): (message: InboundMessage) => Promise<HandledMessage>;
  /** Records a scheduled job's run. */
  jobRan(job: string, outcome: 'ok' | 'failed' | 'skipped'): void;
}

/**
 * Messages by channel and outcome, reply latency, job runs, and, read at scrape time, the
 * outbox backlog and failures and each WhatsApp number's connection state.
 */
export function createServiceMetrics(deps: { models: Models; whatsapp?: WhatsAppNumbers }): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kdmp_' });
  const messages = new Counter({ name: 'kdmp_messages_total', help: 'Inbound messages by channel, provider and outcome', labelNames: ['channel', 'provider', 'outcome'] as const, registers: [registry] });
  const latency = new Histogram({
    name: 'kdmp_reply_seconds',
    help: 'Time from receiving a message to its replies being stored',
    labelNames: ['channel'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobs = new Counter({ name: 'kdmp_job_runs_total', help: 'Scheduled job runs by job and outcome', labelNames: ['job', 'outcome'] as const, registers: [registry] });
  new Gauge({
    name: 'kdmp_outbox_items',
    help: 'Outbox items waiting (pending, sending) or given up (failed), by provider',
    labelNames: ['provider', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = (await deps.models.OutboxItem.aggregate([
        { $match: { status: { $in: ['pending', 'sending', 'failed'] } } },
        { $group: { _id: { provider: '$provider', status: '$status' }, count: { $sum: 1 } } },
      ])) as Array<{ _id: { provider: string; status: string }; count: number }>;
      for (const { _id, count } of counts) this.set({ provider: _id.provider, status: _id.status }, count);
    },
  });
  new Gauge({
    name: 'kdmp_whatsapp_connected',
    help: "1 when a cooperative's WhatsApp number is connected, by state",
    labelNames: ['coop', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!deps.whatsapp) return;
      for (const number of await deps.whatsapp.status()) this.set({ coop: number.coopId, state: number.state }, number.state === 'open' ? 1 : 0);
    },
  });
  return {
    registry,
    instrument: (handle) => async (message) => {
      const stop = latency.startTimer({ channel: message.channel });
      try {
        const handled = await handle(message);
        messages.inc({ channel: message.channel, provider: message.provider, outcome: handled.processed ? 'processed' : 'duplicate' });
        return handled;
      } catch (error) {
        messages.inc({ channel: message.channel, provider: message.provider, outcome: 'error' });
        throw error;
      } finally {
        stop();
      }
    },
    jobRan: (job, outcome) => jobs.inc({ job, outcome }),
  };
}
