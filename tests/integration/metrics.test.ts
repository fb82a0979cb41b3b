import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { start, type RunningService } from '../../src/main.js';
import { serviceEnv } from '../helpers/service-env.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

describe('GET /metrics', () => {
  let dataDir: string;
  let service: RunningService;
  let base: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-metrics-'));
    service = await start(serviceEnv(dataDir, { METRICS_TOKEN }), { schedule: false });
    base = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const scrape = (token?: string) => fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  test('needs the metrics or admin token', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('wrong-token')).status).toBe(401);
    expect((await scrape(serviceEnv('').ADMIN_TOKEN)).status).toBe(200);
  });

  test('counts messages by channel and outcome, reply latency, the outbox and job runs', async () => {
    const say = (id: string) =>
      fetch(`${base}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '+6281200000002', text: 'halo', id }) });
    await say('m-1');
    await say('m-1'); // a redelivery
    await say('m-2');
    await service.jobs.run('daily-recap');
    const response = await scrape(METRICS_TOKEN);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('kdmp_messages_total{channel="whatsapp",provider="simulator",outcome="processed"} 2');
    expect(text).toContain('kdmp_messages_total{channel="whatsapp",provider="simulator",outcome="duplicate"} 1');
    expect(text).toMatch(/kdmp_reply_seconds_count\{channel="whatsapp"\} 3/);
    expect(text).toContain('kdmp_job_runs_total{job="daily-recap",outcome="ok"} 1');
    // The recap to staff has no provider in this configuration: visible as failed.
    expect(text).toMatch(/kdmp_outbox_items\{provider="baileys",status="failed"\} 1/);
    expect(text).toContain('kdmp_process_cpu_seconds_total');
  });
});
