import type { CatalogProduct } from '../language/types.js';

/** The demo cooperative's catalogue (prices in integer rupiah). */
export const demoCatalog: CatalogProduct[] = [
  { id: 'BERAS-MED', name: 'Beras Medium', aliases: ['beras'], category: 'beras', units: [{ code: 'kg', priceRp: 13500 }, { code: 'liter', priceRp: 11000 }] },
  { id: 'BERAS-PREMIUM', name: 'Beras Premium', aliases: [], category: 'beras', units: [{ code: 'kg', priceRp: 14900 }] },
  { id: 'BERAS-SPHP', name: 'Beras SPHP 5 kg', aliases: ['sphp', 'beras bulog'], category: 'beras', units: [{ code: 'karung', priceRp: 62500 }] },
  { id: 'MINYAKITA', name: 'Minyak Goreng MinyaKita', aliases: ['minyak', 'migor', 'minyak goreng'], category: 'minyak', units: [{ code: 'liter', priceRp: 15700 }] },
  { id: 'GULA', name: 'Gula Pasir', aliases: ['gula', 'gulpas', 'gulaku'], category: 'bumbu dapur', units: [{ code: 'kg', priceRp: 17500 }] },
  { id: 'TELUR', name: 'Telur Ayam Ras', aliases: ['telor'], category: 'protein', units: [{ code: 'kg', priceRp: 30000 }, { code: 'butir', priceRp: 2000 }, { code: 'papan', priceRp: 57000 }] },
  { id: 'TERIGU', name: 'Tepung Terigu', aliases: ['tepung', 'segitiga'], category: 'bahan kue', units: [{ code: 'kg', priceRp: 12000 }] },
  { id: 'GARAM', name: 'Garam Beryodium 250 g', aliases: [], category: 'bumbu dapur', units: [{ code: 'bungkus', priceRp: 3000 }] },
  { id: 'LPG-3KG', name: 'LPG 3 kg', aliases: ['gas', 'gas melon', 'elpiji'], category: 'gas', units: [{ code: 'tabung', priceRp: 20000 }] },
  { id: 'MIE-INSTAN', name: 'Mi Instan', aliases: ['mie', 'indomie', 'indomi'], category: 'makanan instan', units: [{ code: 'bungkus', priceRp: 3500 }, { code: 'dus', priceRp: 120000 }] },
  { id: 'BAWANG-MERAH', name: 'Bawang Merah', aliases: ['bamer'], category: 'bumbu dapur', units: [{ code: 'kg', priceRp: 40000 }, { code: 'ons', priceRp: 4000 }] },
  { id: 'BAWANG-PUTIH', name: 'Bawang Putih', aliases: ['baput'], category: 'bumbu dapur', units: [{ code: 'kg', priceRp: 38000 }, { code: 'ons', priceRp: 3800 }] },
  { id: 'CABAI-RAWIT', name: 'Cabai Rawit', aliases: ['cabe rawit', 'rawit'], category: 'bumbu dapur', units: [{ code: 'kg', priceRp: 60000 }, { code: 'ons', priceRp: 6000 }] },
  { id: 'AYAM', name: 'Daging Ayam Ras', aliases: [], category: 'protein', units: [{ code: 'kg', priceRp: 40000 }] },
  { id: 'KECAP', name: 'Kecap Manis 520 ml', aliases: ['bango'], category: 'bumbu dapur', units: [{ code: 'botol', priceRp: 22000 }] },
  { id: 'SKM', name: 'Susu Kental Manis 370 g', aliases: ['indomilk'], category: 'minuman', units: [{ code: 'kaleng', priceRp: 12500 }] },
  { id: 'AIR-GALON', name: 'Air Minum Isi Ulang', aliases: ['galon', 'aqua galon'], category: 'minuman', units: [{ code: 'galon', priceRp: 6000 }] },
  { id: 'TEH-CELUP', name: 'Teh Celup isi 25', aliases: ['sariwangi'], category: 'minuman', units: [{ code: 'kotak', priceRp: 7000 }] },
  { id: 'KOPI-SACHET', name: 'Kopi Sachet', aliases: ['kopi'], category: 'minuman', units: [{ code: 'sachet', priceRp: 1500 }, { code: 'renceng', priceRp: 15000 }] },
];
