import type { CoopDoc } from '../db/models/coop.js';
import type { SavingsType } from '../db/models/savings-entry.js';

/** The demo cooperative, as plain data (seeded by seedDemoData). */
export const demoCoop: CoopDoc = {
  _id: 'kdmp-way-halim-permai',
  slug: 'way-halim-permai',
  name: 'KDMP Kelurahan Way Halim Permai',
  kelurahan: 'Way Halim Permai',
  kota: 'Bandar Lampung',
  timezone: 'Asia/Jakarta',
  numbers: { whatsapp: ['+15005550006'], sms: ['+15005550006'] },
  staff: [{ name: 'Rina (pengurus gerai)', phone: '+6281200000900', role: 'gerai' }],
  settings: {
    pickup: { enabled: true, address: 'Gerai KDMP, Jl. Sultan Agung No. 10, Way Halim Permai' },
    delivery: { enabled: true, feeRp: 5000, area: 'Kelurahan Way Halim Permai' },
    openingHours: { days: 'Senin–Sabtu', open: '07.00', close: '20.00' },
    // Made up for the demo; not a real account.
    bankAccount: { bank: 'BRI', accountNumber: '0123-01-000123-50-9', accountName: 'KDMP Kel. Way Halim Permai' },
    // A made-up static QRIS (the acquirer id is not real): it scans, but pays no one.
    qris: {
      enabled: true,
      merchantName: 'KDMP WAY HALIM PERMAI',
      payload: '00020101021126650016ID.CO.KDMP.DEMO0118936000000000000001021500000000000000103UMI5204541153033605802ID5921KDMP WAY HALIM PERMAI6014BANDAR LAMPUNG61053513263048BA2',
    },
    smsFallback: true,
    pinRequiredOn: ['sms'],
    householdLimits: [{ productId: 'LPG-3KG', maxPerOrder: 1, maxPerDay: 1 }],
  },
};

/** Stock on hand per product, in its stock unit, and how other units draw on it. */
export const demoStock: Record<string, { stockUnit: string; stock: number; factors?: Record<string, number> }> = {
  'BERAS-MED': { stockUnit: 'kg', stock: 500, factors: { liter: 0.8 } },
  'BERAS-PREMIUM': { stockUnit: 'kg', stock: 300 },
  'BERAS-SPHP': { stockUnit: 'karung', stock: 40 },
  MINYAKITA: { stockUnit: 'liter', stock: 200 },
  GULA: { stockUnit: 'kg', stock: 150 },
  TELUR: { stockUnit: 'butir', stock: 900, factors: { kg: 16, papan: 30 } },
  TERIGU: { stockUnit: 'kg', stock: 100 },
  GARAM: { stockUnit: 'bungkus', stock: 120 },
  'LPG-3KG': { stockUnit: 'tabung', stock: 60 },
  'MIE-INSTAN': { stockUnit: 'bungkus', stock: 800, factors: { dus: 40 } },
  'BAWANG-MERAH': { stockUnit: 'kg', stock: 40, factors: { ons: 0.1 } },
  'BAWANG-PUTIH': { stockUnit: 'kg', stock: 40, factors: { ons: 0.1 } },
  'CABAI-RAWIT': { stockUnit: 'kg', stock: 20, factors: { ons: 0.1 } },
  AYAM: { stockUnit: 'kg', stock: 50 },
  KECAP: { stockUnit: 'botol', stock: 80 },
  SKM: { stockUnit: 'kaleng', stock: 100 },
  'AIR-GALON': { stockUnit: 'galon', stock: 60 },
  'TEH-CELUP': { stockUnit: 'kotak', stock: 80 },
  'KOPI-SACHET': { stockUnit: 'sachet', stock: 600, factors: { renceng: 10 } },
};

export interface DemoMember {
  memberNumber: string;
  name: string;
  phone: string;
  pin: string;
  joinedAt: string;
  ledger: { type: SavingsType; amountRp: number; note: string; at: string }[];
}

/** Twelve monthly wajib payments of Rp20.000, Dec 2025 – Nov 2026. */
const wajibYear = Array.from({ length: 12 }, (_, index) => {
  const month = new Date(Date.UTC(2025, 11 + index, 5, 2, 0, 0));
  return { type: 'wajib' as const, amountRp: 20_000, note: `Simpanan wajib ${month.toISOString().slice(0, 7)}`, at: month.toISOString() };
});

export const demoMembers: DemoMember[] = [
  {
    memberNumber: 'KDMP-0001',
    name: 'Siti Aminah',
    phone: '+6281200000001',
    pin: '1234',
    joinedAt: '2025-12-01T02:00:00.000Z',
    ledger: [
      { type: 'pokok', amountRp: 100_000, note: 'Simpanan pokok', at: '2025-12-01T02:00:00.000Z' },
      ...wajibYear,
      { type: 'sukarela', amountRp: 150_000, note: 'Setoran sukarela', at: '2026-03-10T03:00:00.000Z' },
      { type: 'sukarela', amountRp: 100_000, note: 'Setoran sukarela', at: '2026-09-15T03:00:00.000Z' },
    ],
  },
];

/** Residents who chat but are not members. */
export const demoContacts = [{ phone: '+6281200000002', name: 'Budi Santoso', language: 'id' as const }];
