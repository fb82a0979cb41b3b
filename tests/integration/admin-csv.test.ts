import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { start, type RunningService } from '../../src/main.js';
import { serviceEnv } from '../helpers/service-env.js';
import { adminApi } from '../helpers/admin-api.js';

const ADMIN_TOKEN = serviceEnv('').ADMIN_TOKEN!;
const BUDI = '+6281200000002';
const SITI = '+6281200000001';
const COOP = 'way-halim-permai';

interface ProductView {
  productId: string;
  name: string;
  aliases: string[];
  units: Array<{ code: string; priceRp: number; stockFactor: number }>;
  stockUnit: string;
  stock: number;
}
interface MemberView {
  id: string;
  memberNumber: string;
  name: string;
  phone: string;
  hasPin: boolean;
  balances: { pokokRp: number; wajibRp: number; sukarelaRp: number };
}

/** Today in Jakarta, the demo coop's zone. */
function jakartaToday(): string {
  return new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
}

describe('admin API: CSV imports and exports', () => {
  let dataDir: string;
  let service: RunningService;
  let base: string;
  let manager: string;
  let staff: string;
  let otherManager: string;

  const api = adminApi(() => base);
  const postCsv = async (path: string, token: string, csv: string, contentType = 'text/csv') => {
    const response = await fetch(`${base}/admin/api${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body: csv });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const getCsv = async (path: string, token: string) => {
    const response = await fetch(`${base}/admin/api${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, rows: response.ok ? (parse(text, { bom: true, columns: true }) as Array<Record<string, string>>) : [] };
  };
  const say = async (text: string) => {
    const response = await fetch(`${base}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: BUDI, text }) });
    return ((await response.json()) as { replies: string[] }).replies.join('\n');
  };
  const products = async () => (await api('/products', manager)).body.products as ProductView[];
  const findMember = async (q: string) => ((await api(`/members?q=${encodeURIComponent(q)}`, manager)).body.members as MemberView[])[0];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-admin-csv-'));
    service = await start(serviceEnv(dataDir));
    base = `http://127.0.0.1:${service.port}`;
    const token = async (role: string) => ((await api('/tokens', ADMIN_TOKEN, { method: 'POST', body: { coop: COOP, role, label: role } })).body as { token: string }).token;
    manager = await token('manager');
    staff = await token('staff');
    const other = await api('/coops', ADMIN_TOKEN, { method: 'POST', body: { slug: 'kedaton', name: 'KDMP Kedaton', kelurahan: 'Kedaton', kota: 'Bandar Lampung', pickupAddress: 'Jl. Teuku Umar 1' } });
    otherManager = (other.body.managerToken as { token: string }).token;
  });

  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('catalogue', () => {
    const catalogue = [
      'ProductId,Name,Category,Unit,PriceRp,StockUnit,Stock,StockFactor,Aliases',
      'SABUN-CUCI,Sabun Cuci Piring,kebersihan,bungkus,5000,bungkus,100,,sabun cuci;sunlight',
      'SABUN-CUCI,Sabun Cuci Piring,kebersihan,dus,110000,bungkus,,24,',
      'KACANG-HIJAU,Kacang Hijau,bahan kue,kg,24000,kg,10.5,,kacang ijo;kacang hijau',
      '"PUCUK","=HYPERLINK(""http://x.test"",""Teh"")",minuman,Botol,4000,botol,30,,teh botol pucuk',
    ].join('\r\n');

    test('a file of three products (one with two units) imports in one go and can be ordered at once', async () => {
      const before = (await products()).length;
      const imported = await postCsv('/imports/catalogue', manager, catalogue);
      expect(imported).toEqual({ status: 200, body: { dryRun: false, imported: { created: 3, updated: 0 }, rejected: [] } });
      const after = await products();
      expect(after).toHaveLength(before + 3);
      expect(after.find((product) => product.productId === 'SABUN-CUCI')).toMatchObject({
        name: 'Sabun Cuci Piring',
        aliases: ['sabun cuci', 'sunlight'],
        units: [
          { code: 'bungkus', priceRp: 5000, stockFactor: 1 },
          { code: 'dus', priceRp: 110_000, stockFactor: 24 },
        ],
        stockUnit: 'bungkus',
        stock: 100,
      });
      // Unit codes are the chat's lower-case ones, whatever the spreadsheet's case.
      expect(after.find((product) => product.productId === 'PUCUK')).toMatchObject({ units: [{ code: 'botol', priceRp: 4000, stockFactor: 1 }], stock: 30 });
      expect(after.find((product) => product.productId === 'KACANG-HIJAU')).toMatchObject({ stock: 10.5 });

      expect(await say('pesan sabun cuci 2 dus')).toContain('Rp220.000');
      await say('batal');
      expect(await say('pesan kacang ijo 2 kg')).toContain('Rp48.000');
      await say('batal');
    });

    test('a file with bad rows is refused whole: 422 names each line and problem, and nothing is written', async () => {
      const before = await products();
      const gula = before.find((product) => product.productId === 'GULA')!;
      const bad = [
        'productId,name,category,unit,priceRp,stockUnit,stock,aliases',
        'GULA,Gula Pasir,bumbu dapur,kg,99000,kg,,gula', // line 2: fine on its own (an update)
        'KOPI-BUBUK,Kopi Bubuk,minuman,bungkus,12.5,bungkus,10,', // line 3: not whole rupiah
        'TEH-MELATI,Teh Melati,minuman,kotak,7000,dus,5,', // line 4: stock unit not among the units
        'MINYAK-CURAH,Minyak Curah,minyak,liter,15000,liter,50,', // line 5
        'MINYAK-CURAH,Minyak Curah,minyak,liter,16000,liter,,', // line 6: unit repeated
        'TEPUNG-BERAS,Tepung Beras,bahan kue,kg,14000,kg,,', // line 7
        'TEPUNG-BERAS,Tepung Ketan,bahan kue,ons,1400,kg,,', // line 8: another name for the same product
        'kecil,Huruf Kecil,lain,pcs,1000,pcs,,', // line 9: productId pattern
      ].join('\n');
      const refused = await postCsv('/imports/catalogue', manager, bad);
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ error: { code: 'rows_rejected' }, dryRun: false, imported: { created: 0, updated: 0 } });
      const rejected = refused.body.rejected as Array<{ line: number; productId?: string; errors: string[] }>;
      expect(rejected.map((rejection) => rejection.line)).toEqual([3, 4, 6, 8, 9]);
      expect(rejected[0]).toEqual({ line: 3, productId: 'KOPI-BUBUK', errors: [expect.stringMatching(/^priceRp: .*whole rupiah/)] });
      expect(rejected[1]).toEqual({ line: 4, productId: 'TEH-MELATI', errors: [expect.stringMatching(/^stockUnit: dus is not one of the product's units \(kotak\)/)] });
      expect(rejected[2]).toEqual({ line: 6, productId: 'MINYAK-CURAH', errors: ['unit: liter is already on line 5'] });
      expect(rejected[3].errors).toEqual([expect.stringMatching(/^name: "Tepung Ketan" differs from line 7/)]);
      expect(rejected[4].errors).toEqual([expect.stringMatching(/^productId: must be upper-case/)]);

      const after = await products();
      expect(after).toHaveLength(before.length);
      expect(after.find((product) => product.productId === 'GULA')!.units).toEqual(gula.units);
    });

    test('a dry run reports what would change and writes nothing; the real run updates prices and keeps stock', async () => {
      const before = await products();
      const gula = before.find((product) => product.productId === 'GULA')!;
      const file = ['productId,name,category,unit,priceRp,stockUnit', 'GULA,Gula Pasir,bumbu dapur,kg,18000,kg', 'GULA-AREN,Gula Aren,bumbu dapur,kg,30000,kg'].join('\n');
      const dry = await postCsv(`/imports/catalogue?coop=${COOP}&dryRun=true`, manager, file);
      expect(dry).toEqual({ status: 200, body: { dryRun: true, imported: { created: 1, updated: 1 }, rejected: [] } });
      expect(await products()).toEqual(before);
      // A dry run of a bad file answers 200 with its report: the check itself succeeded.
      const dryBad = await postCsv('/imports/catalogue?dryRun=true', manager, 'productId,name,category,unit,priceRp,stockUnit\nGULA,Gula,x,kg,-1,kg');
      expect(dryBad).toMatchObject({ status: 200, body: { dryRun: true, rejected: [{ line: 2, productId: 'GULA' }] } });

      const real = await postCsv('/imports/catalogue', manager, file);
      expect(real.body).toEqual({ dryRun: false, imported: { created: 1, updated: 1 }, rejected: [] });
      const updated = (await products()).find((product) => product.productId === 'GULA')!;
      // The file has no aliases column: Gula Pasir keeps its aliases.
      expect(updated).toMatchObject({ units: [{ code: 'kg', priceRp: 18_000, stockFactor: 1 }], stock: gula.stock, aliases: gula.aliases });
      expect(gula.aliases).toContain('gulpas');
      expect(await say('pesan gulpas 2 kg')).toContain('Rp36.000');
      await say('batal');
    });

    test('a stock value for an existing product sets its stock (logged); a new stock unit needs one', async () => {
      const set = await postCsv('/imports/catalogue', manager, 'productId,name,category,unit,priceRp,stockUnit,stock\nKACANG-HIJAU,Kacang Hijau,bahan kue,kg,24000,kg,7');
      expect(set.body).toMatchObject({ imported: { created: 0, updated: 1 } });
      const detail = (await api('/products', manager)).body.products as Array<ProductView & { stockLog: Array<{ mode: string; quantity: number }> }>;
      expect(detail.find((product) => product.productId === 'KACANG-HIJAU')).toMatchObject({ stock: 7, stockLog: [{ mode: 'set', quantity: 7 }] });
      const noStock = await postCsv('/imports/catalogue', manager, 'productId,name,category,unit,priceRp,stockUnit\nKACANG-HIJAU,Kacang Hijau,bahan kue,ons,2400,ons');
      expect(noStock).toMatchObject({ status: 422, body: { rejected: [{ line: 2, errors: [expect.stringMatching(/^stockUnit: changes from kg to ons/)] }] } });
    });

    test('a file that is not a readable table is 400; anything but CSV is 415', async () => {
      expect((await postCsv('/imports/catalogue', manager, 'productId,name,category,unit,priceRp\nX1,x,y,kg,1')).body).toMatchObject({ error: { code: 'invalid_csv', message: expect.stringContaining('missing column stockUnit') } });
      expect((await postCsv('/imports/catalogue', manager, 'productId,name,category,unit,priceRp,stockUnit,harga\n')).body).toMatchObject({ error: { code: 'invalid_csv', message: expect.stringContaining('unknown column "harga"') } });
      expect((await postCsv('/imports/catalogue', manager, 'productId,name,category,unit,priceRp,stockUnit\n')).status).toBe(400);
      expect((await postCsv('/imports/catalogue', manager, 'productId,name,category,unit,priceRp,stockUnit\n"X1,x,y,kg,1,kg\n')).body).toMatchObject({ error: { code: 'invalid_csv' } });
      const json = await postCsv('/imports/catalogue', manager, JSON.stringify({ productId: 'X' }), 'application/json');
      expect(json).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
      expect((await postCsv('/imports/members', manager, 'name=x', 'application/x-www-form-urlencoded')).status).toBe(415);
      // Indonesian Excel saves with semicolons; a file saved so reads the same.
      const semicolons = await postCsv('/imports/catalogue?dryRun=true', manager, 'productId;name;category;unit;priceRp;stockUnit\nGULA;Gula Pasir;bumbu dapur;kg;18000;kg', 'text/plain; charset=utf-8');
      expect(semicolons.body).toEqual({ dryRun: true, imported: { created: 0, updated: 1 }, rejected: [] });
    });
  });

  describe('members', () => {
    test('members import with opening balances; each balance equals its ledger entries', async () => {
      const file = [
        'memberNumber,name,phone,pin,pokokRp,wajibRp,sukarelaRp,joinedAt',
        'KDMP-0100,Rahmat Hidayat,0812-5555-0001,2468,100000,50000,0,2024-07-12',
        ',Wulan Sari,+6281255550002,,100000,,25000,',
        ',"=HYPERLINK(""http://x.test"",""klik"")",81255550003,,100000,10000,5000,',
      ].join('\n');
      const imported = await postCsv('/imports/members', manager, file);
      expect(imported).toEqual({ status: 200, body: { dryRun: false, imported: { created: 3 }, rejected: [] } });

      const rahmat = await findMember('Rahmat');
      expect(rahmat).toMatchObject({ memberNumber: 'KDMP-0100', phone: '+6281255550001', hasPin: true, balances: { pokokRp: 100_000, wajibRp: 50_000, sukarelaRp: 0 } });
      // Numbers continue after the highest one in use, the file's own included.
      expect(await findMember('Wulan')).toMatchObject({ memberNumber: 'KDMP-0101', hasPin: false, balances: { pokokRp: 100_000, wajibRp: 0, sukarelaRp: 25_000 } });
      // A spreadsheet that dropped the leading 0 of a mobile number still gives the number.
      const formula = await findMember('HYPERLINK');
      expect(formula).toMatchObject({ memberNumber: 'KDMP-0102', phone: '+6281255550003' });

      for (const member of [rahmat, formula]) {
        const detail = await api(`/members/${member.id}`, manager);
        const ledger = detail.body.ledger as Array<{ type: string; amountRp: number; note: string }>;
        const balances = (detail.body.member as MemberView).balances;
        for (const type of ['pokok', 'wajib', 'sukarela'] as const) {
          const sum = ledger.filter((entry) => entry.type === type).reduce((total, entry) => total + entry.amountRp, 0);
          expect(balances[`${type}Rp`]).toBe(sum);
        }
        expect(ledger.every((entry) => entry.note === 'Saldo awal (impor)' && entry.amountRp > 0)).toBe(true);
      }
      expect(((await api(`/members/${rahmat.id}`, manager)).body.ledger as unknown[]).length).toBe(2);
      expect(((await api(`/members/${formula.id}`, manager)).body.ledger as unknown[]).length).toBe(3);
    });

    test('a phone twice in the file, or of an existing member, rejects its line and imports no one', async () => {
      const file = [
        'name,phone,sukarelaRp',
        'Agus Salim,081255550010,10000', // line 2
        'Agus Kembar,+62 812 5555 0010,5000', // line 3: the same phone as line 2
        `Siti Lain,${SITI},0`, // line 4: Siti's phone
        'Dedi,0812555500,1.000', // line 5: not whole rupiah in digits
      ].join('\n');
      const refused = await postCsv('/imports/members', manager, file);
      expect(refused.status).toBe(422);
      expect(refused.body.imported).toEqual({ created: 0 });
      expect(refused.body.rejected).toEqual([
        { line: 3, errors: ['phone: +6281255550010 is already on line 2'] },
        { line: 4, errors: ['phone: +6281200000001 belongs to member KDMP-0001'] },
        { line: 5, errors: [expect.stringMatching(/^sukarelaRp: must be whole rupiah/)] },
      ]);
      expect(await findMember('Agus')).toBeUndefined();
      expect(await findMember('Dedi')).toBeUndefined();
    });

    test('a member number taken in the coop or repeated in the file is rejected; a dry run writes nothing', async () => {
      const refused = await postCsv('/imports/members', manager, 'memberNumber,name,phone\nKDMP-0100,Tono,081255550020\nKDMP-0200,Tini,081255550021\nKDMP-0200,Tina,081255550022');
      expect(refused.body.rejected).toEqual([
        { line: 2, memberNumber: 'KDMP-0100', errors: ['memberNumber: KDMP-0100 is taken'] },
        { line: 4, memberNumber: 'KDMP-0200', errors: ['memberNumber: KDMP-0200 is already on line 3'] },
      ]);
      const dry = await postCsv('/imports/members?dryRun=true', manager, 'name,phone\nTono,081255550020');
      expect(dry).toEqual({ status: 200, body: { dryRun: true, imported: { created: 1 }, rejected: [] } });
      expect(await findMember('Tono')).toBeUndefined();
    });
    test('two imports racing for one phone: one lands whole, the other leaves nothing behind', async () => {
      const first = 'name,phone,sukarelaRp\nRani,081255550040,1000\nBersama,081255550041,1000';
      const second = 'name,phone,sukarelaRp\nRina,081255550042,1000\nBersama Lagi,081255550041,1000';
      const answers = await Promise.all([postCsv('/imports/members', manager, first), postCsv('/imports/members', manager, second)]);
      const won = answers.filter((answer) => answer.status === 200);
      expect(won).toHaveLength(1);
      // The loser either saw the winner's member (422) or lost at the write (409): either way none of it is left.
      const lost = answers.find((answer) => answer.status !== 200)!;
      expect([409, 422]).toContain(lost.status);
      const loserName = answers[0] === lost ? 'Rani' : 'Rina';
      const winnerName = loserName === 'Rani' ? 'Rina' : 'Rani';
      expect(await findMember(loserName)).toBeUndefined();
      expect(await findMember(winnerName)).toMatchObject({ balances: { sukarelaRp: 1000 } });
      const shared = await findMember('6281255550041');
      expect(shared.balances.sukarelaRp).toBe(1000);
      expect(((await api(`/members/${shared.id}`, manager)).body.ledger as unknown[]).length).toBe(1);
    });
  });

  describe('exports', () => {
    test('orders.csv: one row per order item, columns as documented, text cells neutralised', async () => {
      expect(await say('pesan sabun cuci 2 dus sama kacang ijo 1 kg')).toContain('Rp244.000');
      await say('1'); // pickup
      await say('1'); // cash on pickup
      expect(await say('ya')).toContain('#');
      const today = jakartaToday();
      const exported = await getCsv(`/exports/orders.csv?from=${today}&to=${today}`, manager);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="pesanan-${COOP}-${today}-${today}.csv"`);
      expect(exported.text.split('\r\n')[0].replace(/^\uFEFF/, '')).toBe('number,placedAt,date,status,phone,fulfilment,address,payment,paymentStatus,productId,name,quantity,unit,unitPriceRp,lineTotalRp,orderTotalRp');
      expect(exported.rows).toHaveLength(2);
      const [sabun, kacang] = exported.rows;
      expect(sabun).toMatchObject({ status: 'new', phone: `'${BUDI}`, date: today, fulfilment: 'pickup', payment: 'cod', paymentStatus: 'pending', productId: 'SABUN-CUCI', name: 'Sabun Cuci Piring', quantity: '2', unit: 'dus', unitPriceRp: '110000', lineTotalRp: '220000', orderTotalRp: '244000' });
      expect(kacang).toMatchObject({ number: sabun.number, productId: 'KACANG-HIJAU', quantity: '1', unit: 'kg', lineTotalRp: '24000', orderTotalRp: '244000' });
      expect(new Date(sabun.placedAt).toISOString()).toBe(sabun.placedAt);

      const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const empty = await getCsv(`/exports/orders.csv?from=${yesterday}&to=${yesterday}`, staff);
      expect(empty.status).toBe(200);
      expect(empty.rows).toEqual([]);
    });

    test('savings.csv: the period\'s ledger with names; a formula name is neutralised, a negative amount stays a number', async () => {
      const wulan = await findMember('Wulan');
      const withdrawal = await api(`/members/${wulan.id}/savings`, manager, { method: 'POST', body: { type: 'sukarela', kind: 'withdrawal', amountRp: 5000, note: '-tarik tunai' } });
      expect(withdrawal.status).toBe(201);
      const today = jakartaToday();
      const exported = await getCsv(`/exports/savings.csv?coop=${COOP}&from=${today}&to=${today}`, staff);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="simpanan-${COOP}-${today}-${today}.csv"`);
      expect(exported.text.split('\r\n')[0].replace(/^\uFEFF/, '')).toBe('memberNumber,name,type,amountRp,date,note');
      expect(exported.rows).toContainEqual({ memberNumber: 'KDMP-0100', name: 'Rahmat Hidayat', type: 'pokok', amountRp: '100000', date: today, note: 'Saldo awal (impor)' });
      expect(exported.rows).toContainEqual({ memberNumber: 'KDMP-0102', name: `'=HYPERLINK("http://x.test","klik")`, type: 'sukarela', amountRp: '5000', date: today, note: 'Saldo awal (impor)' });
      expect(exported.rows).toContainEqual({ memberNumber: 'KDMP-0101', name: 'Wulan Sari', type: 'sukarela', amountRp: '-5000', date: today, note: `'-tarik tunai` });
      // Rahmat 2 entries, Wulan 2 + the withdrawal, the formula member 3.
      expect(exported.rows.filter((row) => ['KDMP-0100', 'KDMP-0101', 'KDMP-0102'].includes(row.memberNumber))).toHaveLength(8);
      // The raw text has the amount unquoted and unescaped: a spreadsheet reads a number.
      expect(exported.text).toContain(',sukarela,-5000,');
    });

    test('from/to are required, in order and at most 366 days apart; unknown parameters are refused', async () => {
      expect((await getCsv('/exports/orders.csv?from=2026-01-01', manager)).status).toBe(400);
      expect((await getCsv('/exports/orders.csv?from=2026-01-02&to=2026-01-01', manager)).status).toBe(400);
      expect((await getCsv('/exports/savings.csv?from=2024-01-01&to=2025-01-01', manager)).status).toBe(200);
      expect((await getCsv('/exports/savings.csv?from=2024-01-01&to=2025-01-02', manager)).status).toBe(400);
      expect((await getCsv('/exports/orders.csv?from=2026-01-01&to=2026-01-31&format=xlsx', manager)).status).toBe(400);
      expect((await postCsv('/imports/catalogue?dry=true', manager, 'x')).status).toBe(400);
    });
  });

  describe('who may', () => {
    test("staff are confined to their own coop; the counter role may not import; the superadmin must name the coop", async () => {
      const file = 'productId,name,category,unit,priceRp,stockUnit\nKOPI-KEDATON,Kopi,minuman,bungkus,1000,bungkus';
      const today = jakartaToday();
      expect((await postCsv(`/imports/catalogue?coop=${COOP}`, otherManager, file)).status).toBe(403);
      expect((await postCsv(`/imports/members?coop=${COOP}`, otherManager, 'name,phone\nX,081255550030')).status).toBe(403);
      expect((await getCsv(`/exports/orders.csv?coop=${COOP}&from=${today}&to=${today}`, otherManager)).status).toBe(403);
      expect((await getCsv(`/exports/savings.csv?coop=${COOP}&from=${today}&to=${today}`, otherManager)).status).toBe(403);
      expect((await postCsv('/imports/catalogue', staff, file)).status).toBe(403);
      expect((await postCsv('/imports/members', staff, 'name,phone\nX,081255550030')).status).toBe(403);
      expect((await postCsv('/imports/catalogue', ADMIN_TOKEN, file)).body).toMatchObject({ error: { code: 'coop_required' } });
      expect((await getCsv(`/exports/orders.csv?from=${today}&to=${today}`, ADMIN_TOKEN)).status).toBe(400);

      // Kedaton's own import lands in Kedaton only, and its export shows none of this coop's orders.
      expect((await postCsv('/imports/catalogue', otherManager, file)).body).toMatchObject({ imported: { created: 1 } });
      expect(((await api('/products', manager)).body.products as ProductView[]).some((product) => product.productId === 'KOPI-KEDATON')).toBe(false);
      const theirs = await getCsv(`/exports/orders.csv?coop=kedaton&from=${today}&to=${today}`, ADMIN_TOKEN);
      expect(theirs).toMatchObject({ status: 200, rows: [] });
      expect(theirs.headers.get('content-disposition')).toContain('pesanan-kedaton-');
    });
  });
});
