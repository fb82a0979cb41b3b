import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { start, type RunningService } from '../../src/main.js';
import { serviceEnv } from '../helpers/service-env.js';

/** Debian's Chromium; the test drives it through playwright-core (which downloads no browser of its own). */
const CHROMIUM = '/usr/bin/chromium';
const ADMIN_TOKEN = serviceEnv('').ADMIN_TOKEN!;
const BUDI = '+6281200000002';
const SCREENSHOT = fileURLToPath(new URL('../artifacts/dashboard.png', import.meta.url));
const DEPOSIT_RP = 25_000;

const maybe = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`dashboard browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

/** Rupiah as the page shows it: Rp98.900. */
const rupiah = (amount: number) => `Rp${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;

maybe('staff dashboard at /admin, in a real browser', () => {
  let dataDir: string;
  let service: RunningService;
  let base: string;
  let browser: Browser;
  let page: Page;
  let staffToken: string;
  let orderNumber: number;
  let pageLoads = 0;

  const api = async (path: string, token: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${base}/admin/api${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    expect([path, response.status]).toEqual([path, init.method === 'POST' ? 201 : 200]);
    return (await response.json()) as Record<string, unknown>;
  };

  const say = async (text: string) => {
    const response = await fetch(`${base}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: BUDI, text }) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { replies: string[] }).replies.join('\n');
  };

  /** The card of an order in one status group of the page. */
  const card = (status: string, number: number) => page.locator(`#order-groups [data-status="${status}"] .order-card[data-number="${number}"]`);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-dashboard-'));
    service = await start(serviceEnv(dataDir));
    base = `http://127.0.0.1:${service.port}`;
    staffToken = ((await api('/tokens', ADMIN_TOKEN, { method: 'POST', body: { coop: 'way-halim-permai', role: 'staff', label: 'Kasir' } })) as { token: string }).token;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'id-ID' });
    page.on('load', () => pageLoads++);
    page.setDefaultTimeout(15_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('the service serves the page and its assets under the default Content-Security-Policy', async () => {
    const response = await fetch(`${base}/admin`);
    // 404 here means src/main.ts does not mount createDashboardRouter() among its routers.
    expect({ 'GET /admin': response.status }).toEqual({ 'GET /admin': 200 });
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    // No inline script or handler: the CSP would block it.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/);
    let size = Buffer.byteLength(html);
    for (const asset of ['app.js', 'style.css']) {
      const assetResponse = await fetch(`${base}/admin/assets/${asset}`);
      expect([asset, assetResponse.status]).toEqual([asset, 200]);
      expect(assetResponse.headers.get('cache-control')).toMatch(/max-age=\d+/);
      size += (await assetResponse.arrayBuffer()).byteLength;
    }
    // The brief: about 40 kB in all, on a phone line.
    expect(size).toBeLessThan(43_000);
    expect((await fetch(`${base}/admin/assets/nothing.js`)).status).toBe(404);
  });

  test('a wrong token is refused; the staff token signs in and shows whose it is', async () => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused/.test(message.text())) problems.push(message.text());
    });
    await page.goto(`${base}/admin`);
    await page.getByLabel('Token akses staf').fill('kdmp_not-a-real-token');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByText('Token tidak dikenal').waitFor();

    await page.getByLabel('Token akses staf').fill(staffToken);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('heading', { name: 'Pesanan hari ini' }).waitFor();
    expect(await page.locator('#who-text').textContent()).toBe('way-halim-permai · staf (Kasir)');
    await page.getByText('Belum ada pesanan hari ini.').waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  test('a resident’s order appears without a reload; Konfirmasi then Siap tells the resident it is ready', async () => {
    const loadsBefore = pageLoads;
    await say('pesan gula 1 kg');
    await say('1');
    await say('1');
    orderNumber = Number(/#(\d+)/.exec(await say('ya'))?.[1]);
    expect(orderNumber).toBeGreaterThan(0);

    // The page polls every 5 s: the card comes in on its own.
    const fresh = card('new', orderNumber);
    await fresh.waitFor({ timeout: 12_000 });
    await expect(fresh.textContent()).resolves.toContain('Gula Pasir 1 kg');
    await expect(fresh.textContent()).resolves.toContain('Rp17.500');
    await expect(fresh.textContent()).resolves.toContain('••••0002');
    await expect(fresh.textContent()).resolves.not.toContain(BUDI);
    await fresh.getByRole('button', { name: 'Konfirmasi', exact: true }).click();
    await card('confirmed', orderNumber).getByRole('button', { name: 'Siap', exact: true }).click();
    await card('ready', orderNumber).waitFor();
    expect(pageLoads).toBe(loadsBefore);

    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Done with the staff token, as the order's history says.
    const { orders } = (await api(`/orders?number=${orderNumber}`, ADMIN_TOKEN)) as { orders: Array<{ status: string; history: Array<{ status: string; by: string }> }> };
    expect(orders[0].status).toBe('ready');
    expect(orders[0].history.map((entry) => [entry.status, entry.by])).toEqual([
      ['new', 'resident'],
      ['confirmed', 'staff-token:Kasir'],
      ['ready', 'staff-token:Kasir'],
    ]);

    // The notice relay queues the resident's notice within a second; give it up to ten.
    // (The order confirmation also says "siap diambil": "we will tell you when it is ready".)
    const readyNotice = `Pesanan *#${orderNumber}* sudah siap diambil`;
    const deadline = Date.now() + 10_000;
    let texts: string[] = [];
    while (Date.now() < deadline) {
      const { items } = (await api(`/outbox?to=${encodeURIComponent(BUDI)}`, ADMIN_TOKEN)) as { items: Array<{ text: string }> };
      texts = items.map((item) => item.text);
      if (texts.some((text) => text.includes(readyNotice))) break;
      await delay(100);
    }
    expect(texts.filter((text) => text.includes('sudah siap diambil'))).toEqual([expect.stringContaining(readyNotice)]);
  }, 60_000);

  test('the order detail lists lines and history', async () => {
    await card('ready', orderNumber).locator('.card-head').click();
    const detail = page.locator('#order-detail');
    await detail.getByRole('heading', { name: `Pesanan #${orderNumber}` }).waitFor();
    const text = await detail.textContent();
    expect(text).toContain('1 kg × Rp17.500');
    expect(text).toMatch(/Baru · oleh pemesan/);
    expect(text).toMatch(/Siap · oleh staf Kasir/);
    await detail.getByRole('button', { name: '← Kembali' }).click();
    await card('ready', orderNumber).waitFor();
  }, 60_000);

  test('a deposit recorded on Anggota raises the sukarela balance shown by the amount', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Anggota' }).click();
    const siti = page.locator('.member-card[data-member="KDMP-0001"]');
    const sukarela = siti.locator('[data-balance="sukarela"]');
    await sukarela.waitFor();
    const before = Number((await sukarela.textContent())!.replace(/\D/g, ''));
    expect(before).toBeGreaterThan(0);

    await siti.getByRole('button', { name: 'Catat setoran' }).click();
    await siti.getByLabel('Jenis simpanan').selectOption('sukarela');
    await siti.getByLabel('Transaksi').selectOption({ label: 'Setoran' });
    await siti.getByLabel('Jumlah (Rp)').fill(String(DEPOSIT_RP));
    await siti.getByLabel('Catatan').fill('Setoran tunai di kasir');
    await siti.getByRole('button', { name: 'Simpan' }).click();
    await sukarela.getByText(rupiah(before + DEPOSIT_RP), { exact: true }).waitFor();
    await siti.getByText(`Tersimpan: setoran sukarela ${rupiah(DEPOSIT_RP)}.`).waitFor();

    const { members } = (await api('/members?q=KDMP-0001', ADMIN_TOKEN)) as { members: Array<{ balances: { sukarelaRp: number } }> };
    expect(members[0].balances.sukarelaRp).toBe(before + DEPOSIT_RP);
  }, 60_000);

  test('nothing is wider than a 360 px phone', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    for (const tab of ['Pesanan', 'Anggota', 'Produk', 'Grafik']) {
      await page.getByRole('navigation').getByRole('button', { name: tab }).click();
      await page.locator('.view:not([hidden]) .card, .view:not([hidden]) .tile').first().waitFor();
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect([tab, width]).toEqual([tab, 360]);
    }
  }, 60_000);
});
