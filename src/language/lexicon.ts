/**
 * Everyday chat vocabulary: slang and abbreviations mapped to one canonical word, and the
 * roles canonical words play. Built once at module load.
 */

/** canonical: surface forms (space separated). The canonical word itself is always included. */
const SLANG_GROUPS: Record<string, string> = {
  saya: 'sy aku aq gue gw ane sya ak q abdi kulo ambo nyak aye',
  berapa: 'brp brapa berapaan brpa berpa brapaan brape berape',
  harga: 'hrg hrga harganya price cost prices',
  pesan: 'pesen psn mesen memesan pesankan pesenin pesanin pesankan psen pesn',
  pesanan: 'pesenan orderan psnan pesananan pesanannya orderannya pesenannya',
  beli: 'beliin membeli bli buy purchase meser tumbas',
  order: 'oder ordr',
  minta: 'mintak mnta',
  ambil: 'ngambil ambl collect pendhet',
  sendiri: 'sndiri sndri sendri dewe dewek myself',
  transfer: 'trf tranfer trasfer transfr trnsfer',
  nitip: 'titip',
  kirim: 'kirimin kirimkan krm antar anter anterin antarkan antarin deliver send antaan',
  dikirim: 'dikirimin dkirim diantar dianter diantarkan dianterin delivered sent shipped',
  tidak: 'g gk ga gak nggak ngga engga enggak tdk ndak gx kagak nda gag ngak nggk tak',
  sama: 'sm ama samo karo sareng kalih',
  dengan: 'dgn dg with',
  dan: 'and n',
  plus: 'ditambah',
  yang: 'yg',
  tolong: 'tlg tolongin please pls plz mohon',
  sekarang: 'skrg skrang now',
  sudah: 'udh udah sdh dah uda',
  belum: 'blm belom blom',
  masih: 'msh masi mash',
  gimana: 'gmn gmna bagaimana gmana gimna bgmn gmane gimane',
  kapan: 'kpn when',
  sampai: 'smpe sampe nyampe nyampai smpai sampek nyampek smp',
  dimana: 'dmn where',
  mana: 'mn',
  jadi: 'jd',
  tadi: 'td tdi',
  nanti: 'ntar tar entar ntr mangke',
  kalau: 'kalo klo klw kl',
  kemarin: 'kmrn kemaren kmarin kmaren kmrin yesterday',
  datang: 'dtg dateng',
  kurir: 'driver kurirnya',
  berangkat: 'brgkt brangkat',
  gajadi: 'gjd gajd gjdi gkjd',
  gausah: 'gusah gaush gaosah ndausah ngausah',
  batal: 'batalin batalkan cancel cancelin cancell dibatalkan dibatalin batalkn',
  aja: 'saja ajah aj ajaa mawon wae',
  bayar: 'pay byr bayarnya',
  ditempat: 'ditmpt dtmpt ditempt',
  harusnya: 'seharusnya mestinya semestinya hrsnya harusny',
  kebanyakan: 'kebanyakkan kelebihan kegedean',
  dong: 'donk',
  deh: 'dehh',
  ok: 'oke okay okey okeh oce okee okk okey okai',
  ya: 'iya iyaa yaa iyah iye yoi y yup yes yep yeah iy yaudah yaudh ywdh yowes yowis nggih inggih iyo yo leres sure muhun',
  betul: 'bener benar betol bnr',
  sip: 'siip sipp siap',
  boleh: 'blh bole',
  lanjut: 'lanjutkan lanjutin lnjt next continue',
  jangan: 'jgn',
  no: 'nope nomor nmr nomer',
  makasih: 'terimakasih trims thanks thx tq mksh makasi trimakasih',
  saldo: 'sldo balance',
  simpanan: 'simpenan savings',
  tabungan: 'tabungannya',
  nabung: 'menabung nabungin',
  setor: 'setoran nyetor menyetor',
  pinjaman: 'pinjem minjem',
  status: 'lacak track tracking',
  menu: 'menunya',
  bantuan: 'bantu help',
  cara: 'caranya',
  halo: 'hallo helo hello hai hi hay hey hei hy haloo hallo',
  assalamualaikum: 'asalamualaikum aslm asslm assalamu samlekom salamualaikum asw assalamualaikum assalam',
  selamat: 'met slmt good',
  pagi: 'morning',
  siang: 'afternoon',
  malam: 'evening night malem',
  permisi: 'misi punten tabik',
  english: 'inggris eng',
  indonesia: 'indo indonesian',
  bahasa: 'bhs language',
  tambah: 'tambahin tambahkan nambah tambahan tmbh add',
  kurangi: 'kurangin kurangkan kurang reduce',
  hapus: 'hapusin buang buangin hilangkan delete remove coret keluarkan hapuskan dicoret coretin dihapus dibuang',
  ganti: 'gantiin ubah ubahin diganti change replace gnti make',
  lagi: 'lg more',
  total: 'totalnya',
  semua: 'semuanya',
  mau: 'mo pengen pingin ingin pgn mw mauu want get bade badhe haga',
  butuh: 'perlu need',
  ada: 'ad have got',
  tanya: 'nanya tny nanyain',
  jual: 'dijual jualan sell sells',
  kak: 'ka kk kakak',
  pak: 'bapak',
  bu: 'ibu',
  mas: 'mase',
  mba: 'mbak mbok',
  info: 'informasi',
  cek: 'check cekin ngecek',
  // English product words: the catalogue is Indonesian.
  beras: 'rice bareh',
  gula: 'sugar gulo',
  telur: 'egg eggs',
  minyak: 'oil',
  tepung: 'flour',
  garam: 'salt',
  mie: 'noodle noodles',
  ayam: 'chicken',
  baput: 'garlic',
  bamer: 'shallot shallots brambang',
  cabai: 'chili chilli chilies lombok',
  kecap: 'soy',
  susu: 'milk',
  kopi: 'coffee',
  teh: 'tea',
  celup: 'bags bag teabag teabags',
  air: 'water',
  kental: 'condensed',
  // Rice grades: the ordinary one is the medium ("yang biasa": see analyze-message).
  medium: 'regular ordinary',
  manis: 'sweet sweetened',
};

export const SLANG = new Map<string, string>();
for (const [canon, forms] of Object.entries(SLANG_GROUPS)) {
  SLANG.set(canon, canon);
  for (const form of forms.split(' ')) if (form) SLANG.set(form, canon);
}

function wordSet(words: string): Set<string> {
  return new Set(words.split(/\s+/).filter(Boolean));
}

export const STRONG_ORDER_WORDS = wordSet('pesan order beli minta ambil kirim butuh checkout belanja nitip');
export const WEAK_ORDER_WORDS = wordSet('mau');
export const PRICE_WORDS = wordSet('berapa harga');
export const BALANCE_WORDS = wordSet('saldo simpanan tabungan nabung setor iuran');
/** Loans and debts: money matters the bot cannot answer, never a price question. */
export const FINANCE_WORDS = wordSet('pinjaman pinjam utang hutang cicilan angsuran kredit');
/** Asking for the list of goods. */
export const LIST_WORDS = wordSet('list daftar katalog');
export const CANCEL_WORDS = wordSet('batal gajadi');
export const HELP_WORDS = wordSet('menu bantuan cara panduan bingung info katalog');
export const GREETING_WORDS = wordSet('halo assalamualaikum salam selamat pagi siang sore malam p permisi waalaikumsalam');
export const STATUS_STRONG_WORDS = wordSet('status');
export const STATUS_DELIVERY_WORDS = wordSet('dikirim sampai datang diproses proses kirim berangkat jalan otw');
export const STATUS_QUESTION_WORDS = wordSet('gimana mana dimana sampai sudah belum kapan status dikirim diproses datang berangkat jalan otw cek lama');
/** Things whose progress a resident asks about. */
export const STATUS_SUBJECT_WORDS = wordSet('pesanan kurir order');
/** Words that point back at an earlier order ("beras yg sy pesen td"). */
export const PAST_REFERENCE_WORDS = wordSet('tadi kemarin yang');
export const POLITE_WORDS = wordSet('kak mas mba bu pak bang abang bg bng dek om tante gan min admin sis bro bos boss lae uni');
export const PARTICLE_WORDS = wordSet('deh dong aja sih nih tuh kok lah loh kan nah yuk ni tu bah la pun');
export const SEPARATOR_WORDS = wordSet('dan sama dengan plus serta terus trus lalu juga');
export const YES_WORDS = wordSet('ya ok betul sip boleh lanjut setuju mantap mantul gaskeun monggo cus cuss');
export const NO_WORDS = wordSet('tidak jangan no gajadi gausah');
export const CHOICE_MARKERS = wordSet('no pilih pilihan opsi yang ke nomor');
/** Words that only appear in addresses: a message with them and no product is an address, not an order. */
/** Words a street's name follows ("Jl. Gula Batu", "gg. mangga"): goods words after them name the street. */
export const STREET_WORDS = wordSet('jalan jl jln gang gg lorong komplek kompleks komp');
export const STRICT_ADDRESS_WORDS = wordSet('jalan jl jln gang gg rt rw blok kel kec kelurahan kecamatan desa dusun perum perumahan perumnas kav no');
export const ADDRESS_WORDS = wordSet('jalan jl jln gang gg rt rw no blok kel kec kelurahan kecamatan desa dusun kampung kp perum perumahan perumnas km kav rumah dekat samping depan belakang masjid kode pin hp wa');
/** Words only an address has (street, house number, neighbourhood, landmark): a message with one answers "which address?". */
/** Words of place names in and around Bandar Lampung ("Teluk Betung", "Way Halim", "Pagar Alam"): never goods. */
export const PLACE_WORDS = wordSet('teluk tanjung bukit gunung pulau sungai way utara selatan barat timur tengah raya pagar alam kos kost asrama');
export const DELIVERY_ADDRESS_WORDS = new Set([...ADDRESS_WORDS, ...PLACE_WORDS, ...wordSet('lorong nomor nomer komplek kompleks komp dsn sebelah seberang kavling')]);
/** Words that point at an order already placed ("batalkan pesanan yang tadi"), not the cart being built. */
export const PLACED_ORDER_WORDS = wordSet('tadi barusan kemarin kemaren sebelumnya previous last earlier');

export const EDIT_WORDS = new Map<string, 'add' | 'remove' | 'reduce' | 'replace'>([
  ['tambah', 'add'],
  ['kurangi', 'reduce'],
  ['hapus', 'remove'],
  ['ganti', 'replace'],
]);

export const ORDINALS = new Map<string, number>([
  ['pertama', 1], ['kedua', 2], ['ketiga', 3], ['keempat', 4], ['kelima', 5],
  ['keenam', 6], ['ketujuh', 7], ['kedelapan', 8], ['kesembilan', 9], ['kesepuluh', 10],
  ['first', 1], ['second', 2], ['third', 3],
]);

/** Other everyday words: known, so never fuzzy-matched to a product nor taken as an unknown product. */
const COMMON = wordSet(`
  ini itu di ke dari untuk buat utk bwt pake pakai atau ato juga jg hari besok nanti tadi kemarin
  minggu bulan tahun alamat tunggu bisa bs apa apakah kenapa knp siapa dulu ntar kalo kalau klo
  habis abis stok stock ready tersedia masih baru per tiap isi murah mahal cepat cepet langsung bayar
  transfer cod tunai cash uang duit rupiah kasih terima enak banget bgt sekali nya kamu anda kalian
  mereka dia kita kami cek lihat liat sabar maaf tanya the a an is of to for me my i you please can
  how much what in on and or pcs buah sy wajib pokok sukarela kabar baik sehat jam oh eh hmm wkwk
  wkwkwk haha hehe hihi xixi x tes test sampai ok lho kirain mantap gaskeun setuju list daftar
  katalog produk barang jenis macam semua apa aja lain lainnya punya tau tahu ngerti kok gitu
  begitu gini begini terus trus lalu habis soalnya karena krn jadi tapi tp pagi siang sore malam
  selamat via ongkir cooking drinking bird birds eye harus mesti actually it its ill im been has will be are was were did does do gpp gapapa berat ringan jauh capek repot hujan sibuk males malas sesuai cocok tf qris qr pickup jemput takeaway bri bni mandiri btn mbanking banking brimo kontan ditempat tempat sukarela alamat address koperasi kopdes buka tutup sendiri banyak ditunggu bukti promo diskon usah many ayah anak adik suami istri nenek kakek otw gratis bawa datang diproses proses pilih pilihan opsi satuan harganya bukan
  id like take would wanna gonna asap tinggal sisa orang
`);

const ALL_KNOWN = new Set<string>([...SLANG.keys(), ...SLANG.values(), ...COMMON, ...POLITE_WORDS, ...PARTICLE_WORDS,
  ...ADDRESS_WORDS, ...PLACE_WORDS, ...YES_WORDS, ...NO_WORDS, ...ORDINALS.keys(), ...SEPARATOR_WORDS, ...GREETING_WORDS]);

/** True for a canonical or surface word the lexicon knows (not a product word). */
export function isKnownWord(word: string): boolean {
  return ALL_KNOWN.has(word);
}

/**
 * Real words one typo away from a product word ("bayam" ~ "ayam", "pasar" ~ "pasir", "gulai" ~
 * "gula"), mostly goods the cooperative may not sell: unknown products, never typo-corrected.
 */
export const NON_CATALOGUE_WORDS = wordSet(`
  bayam kentang gulai asam pasar kasir dagang pulang utang hutang sayur sayuran ikan tempe sapi kambing bebek
  pisang jeruk apel mangga sabun sampo shampo rokok pulsa token bensin solar roti keju mentega margarin kacang
  jagung wortel tomat kubis kol sawi kangkung terong timun bakso sosis sarden kornet santan kelapa jahe kunyit
  lada merica ketumbar kemiri terasi micin msg royco masako deterjen rinso pewangi odol sikat tisu pampers popok
  obat vitamin ketan ayah udang cumi kerupuk krupuk gulali galau tanah jawa aren bombay keriting hijau
  pulen kulkas ember panci wajan kompor korek lilin baterai lampu kabel
  bread soap cigarette cigarettes butter cheese shampoo detergent toothpaste diapers fish beef tofu tempeh
  vegetables potato potatoes tomato tomatoes banana bananas
`);

/** Words that, after a product word, name a different product we do not sell ("telur bebek"). */
export function isOtherGoodsWord(word: string): boolean {
  return NON_CATALOGUE_WORDS.has(word);
}

/** Intent keywords long enough to be fuzzy-matched ("simpenan", "bantun", "statsu"). */
export const FUZZY_KEYWORDS: readonly string[] = [
  'pesan', 'pesanan', 'berapa', 'harga', 'saldo', 'simpanan', 'tabungan', 'batal', 'batalin',
  'status', 'bantuan', 'assalamualaikum', 'permisi', 'selamat', 'kirim', 'dikirim', 'sampai',
  'gimana', 'tambah', 'kurangi', 'hapus', 'ganti', 'tolong', 'halo', 'minta', 'order',
  // Checkout answers ("trasnfer", "cahs", "tunia", "ditmpat", "qirs").
  'transfer', 'tunai', 'cash', 'qris', 'ditempat', 'sendiri', 'diantar', 'dianter',
];
