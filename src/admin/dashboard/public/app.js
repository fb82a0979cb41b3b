// KDMP Chat staff dashboard: plain browser JS, no framework, no build step.
// Server strings reach the page only as text (el() sets textContent; append() makes text nodes), never as HTML.

const POLL_MS = 5000;
const TZ = 'Asia/Jakarta';
const DAYS = 14;

const STATUS = { new: 'Baru', confirmed: 'Dikonfirmasi', ready: 'Siap', delivering: 'Diantar', completed: 'Selesai', cancelled: 'Dibatalkan' };
const STEPS = { confirmed: 'Konfirmasi', ready: 'Siap', delivering: 'Antar', completed: 'Selesai' };
/** The API lets staff refuse an order until it is done. */
const REFUSABLE = ['new', 'confirmed', 'ready', 'delivering'];
const PAY_METHODS = { cod: 'Bayar di tempat', transfer: 'Transfer', qris: 'QRIS', simpanan: 'Potong simpanan' };
const PAY_STATUS = { pending: 'Belum lunas', paid: 'Lunas', refund_due: 'Uang harus dikembalikan', refunded: 'Dikembalikan' };
const CHANNELS = { whatsapp: 'WhatsApp', sms: 'SMS', simulator: 'Simulator' };
const ROLES = { manager: 'pengurus', staff: 'staf' };
const SAVINGS = { pokok: 'Pokok', wajib: 'Wajib', sukarela: 'Sukarela' };
const KINDS = { deposit: 'Setoran', withdrawal: 'Penarikan' };
const MODES = { set: 'Atur jumlah', add: 'Tambah', subtract: 'Kurangi' };
const WA = { open: 'Terhubung', pairing: 'Menunggu dipindai', connecting: 'Menyambung…', not_paired: 'Belum dihubungkan', logged_out: 'Terputus dari HP, hubungkan lagi', replaced: 'Dipakai di perangkat lain', closed: 'Terputus' };
const ERRORS = {
  network: 'Tidak dapat menghubungi server. Periksa sambungan internet.',
  forbidden: 'Token ini tidak berhak melakukan ini.',
  too_many_attempts: 'Terlalu banyak token salah dari alamat ini. Coba lagi nanti.',
  whatsapp_disabled: 'WhatsApp belum diaktifkan (WHATSAPP_ENABLED=false)',
  coop_required: 'Pilih koperasi dulu.',
  insufficient_balance: 'Saldo tidak cukup untuk penarikan ini.',
  not_withdrawable: 'Simpanan pokok dan wajib hanya dapat ditarik saat anggota keluar.',
  stock_too_low: 'Stok tidak cukup untuk dikurangi sebanyak itu.',
  status_change_not_allowed: 'Status pesanan sudah berubah (mungkin oleh staf lain). Daftar sudah diperbarui.',
};

const store = sessionStorage;
const state = {
  token: store.getItem('kdmp.token') ?? '',
  me: null,
  coops: [],
  coop: store.getItem('kdmp.coop') ?? '',
  tab: store.getItem('kdmp.tab') ?? 'orders',
  /** id -> { order, sig, card }: an unchanged order keeps its card, so a half-filled form survives the poll. */
  orders: new Map(),
  busy: false,
  detail: null,
  waSig: '',
  timer: 0,
  bannerTimer: 0,
  /** Bumped on sign-out and coop change: answers to older requests are dropped. */
  epoch: 0,
};

// ---------- helpers ----------

const $ = (selector) => document.querySelector(selector);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.className = value;
    else if (key === 'data') Object.assign(node.dataset, value);
    else if (typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

let uid = 0;
const rupiah = (amount) => {
  const value = Math.round(Number(amount) || 0);
  return `${value < 0 ? '-' : ''}Rp${String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
};
const qty = (value) => Number(value).toLocaleString('id-ID', { maximumFractionDigits: 3 });
const maskPhone = (phone) => `••••${String(phone ?? '').replace(/\D/g, '').slice(-4)}`;
const format = (options) => new Intl.DateTimeFormat('id-ID', { timeZone: TZ, ...options });
const HM = format({ hour: '2-digit', minute: '2-digit' });
const HMS = format({ hour: '2-digit', minute: '2-digit', second: '2-digit' });
const DAY_HM = format({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat('id-ID', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const time = (at, fmt = HM) => (at ? fmt.format(new Date(at)) : '');
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
const superadmin = () => state.me?.kind === 'superadmin';
const para = (cls, text) => el('p', { class: cls, text });
const btn = (text, cls, onclick) => el('button', { type: 'button', class: `btn ${cls}`, text, onclick });
const loading = () => para('muted', 'Memuat…');

// ---------- API ----------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    Object.assign(this, { status, code });
  }
}

/** Calls /admin/api; `scoped` names the superadmin's chosen cooperative. A 401 goes back to sign-in. */
async function api(path, { method = 'GET', body, query = {}, scoped = false, headers = {} } = {}) {
  const url = new URL(`/admin/api${path}`, location.origin);
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(key, value);
  if (scoped && superadmin() && state.coop) url.searchParams.set('coop', state.coop);
  const epoch = state.epoch;
  let response;
  try {
    response = await fetch(url, {
      method,
      cache: 'no-store',
      headers: { ...headers, authorization: `Bearer ${state.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  const data = await response.json().catch(() => ({}));
  if (response.status === 401) {
    if (epoch === state.epoch) signOut(state.me ? 'Sesi berakhir: token tidak berlaku lagi. Silakan masuk kembali.' : 'Token tidak dikenal. Periksa lalu coba lagi.');
    throw new ApiError(401, 'unauthorized', '');
  }
  if (epoch !== state.epoch) throw new ApiError(0, 'stale', '');
  if (!response.ok) throw new ApiError(response.status, data?.error?.code ?? 'http', data?.error?.message ?? `HTTP ${response.status}`);
  return data;
}

const quiet = (error) => error instanceof ApiError && (error.status === 401 || error.code === 'stale');

function describe(error) {
  if (!(error instanceof ApiError)) return 'Terjadi kesalahan di halaman. Coba muat ulang.';
  return ERRORS[error.code] ?? `Gagal (${error.status}): ${error.message}`;
}

function showError(error) {
  if (quiet(error)) return;
  if (!(error instanceof ApiError)) console.error(error);
  banner(describe(error), 'error');
}

function banner(text, kind) {
  clearTimeout(state.bannerTimer);
  $('#banner-text').textContent = text;
  $('#banner').className = `banner ${kind}`;
  $('#banner').hidden = false;
  if (kind === 'ok') state.bannerTimer = setTimeout(hideBanner, 4000);
}

const hideBanner = () => { $('#banner').hidden = true; };

/** A section whose route failed says so in place (404: this server has no such route yet). */
function unavailable(box, error) {
  if (quiet(error)) return;
  box.replaceChildren(para('notice', error.status === 404 ? 'Fitur ini belum tersedia di server ini.' : describe(error)));
}

// ---------- sign-in ----------

async function signIn(token) {
  state.token = token;
  const me = await api('/me');
  state.me = me;
  store.setItem('kdmp.token', token);
  if (me.kind === 'superadmin') {
    state.coops = (await api('/coops')).coops ?? [];
    if (!state.coops.some((coop) => coop.slug === state.coop)) state.coop = state.coops[0]?.slug ?? '';
    store.setItem('kdmp.coop', state.coop);
    $('#coop-picker').replaceChildren(...state.coops.map((coop) => el('option', { value: coop.slug, text: `${coop.name} (${coop.slug})` })));
    $('#coop-picker').value = state.coop;
    $('#who-text').textContent = 'superadmin';
  } else {
    state.coop = me.coop;
    $('#who-text').textContent = `${me.coop} · ${ROLES[me.role] ?? me.role}${me.label ? ` (${me.label})` : ''}`;
  }
  $('#coop-picker-wrap').hidden = !superadmin();
  hideBanner();
  $('#view-signin').hidden = true;
  $('#who').hidden = $('#tabs').hidden = false;
  clearInterval(state.timer);
  state.timer = setInterval(tick, POLL_MS);
  showTab(state.tab);
}

function signOut(message) {
  state.epoch++;
  clearInterval(state.timer);
  store.removeItem('kdmp.token');
  store.removeItem('kdmp.coop');
  Object.assign(state, { token: '', me: null, coops: [], coop: '' });
  clearData();
  for (const view of document.querySelectorAll('.view')) view.hidden = true;
  $('#who').hidden = $('#tabs').hidden = true;
  hideBanner();
  $('#signin-message').textContent = message;
  $('#view-signin').hidden = false;
  $('#signin-token').value = '';
  $('#signin-token').focus();
}

/** Nothing of the previous token's (or cooperative's) data stays on screen. */
function clearData() {
  state.orders.clear();
  state.waSig = '';
  closeDetail();
  for (const id of ['#order-groups', '#members-list', '#products-list', '#whatsapp-list', '#outbox-health', '#stats-summary', '#stats-chart', '#stats-top']) $(id).replaceChildren();
  $('#orders-updated').textContent = '';
  $('#new-badge').hidden = true;
}

// ---------- tabs and polling ----------

const TABS = { orders: refreshOrders, members: loadMembers, products: loadProducts, channels: loadChannels, stats: loadStats };

function showTab(tab) {
  if (!TABS[tab]) tab = 'orders';
  state.tab = tab;
  store.setItem('kdmp.tab', tab);
  for (const button of document.querySelectorAll('#tabs [data-tab]')) {
    if (button.dataset.tab === tab) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  for (const name of Object.keys(TABS)) $(`#view-${name}`).hidden = name !== tab;
  TABS[tab]().catch(showError);
  // Orders refresh on every tab: the badge counts new ones.
  if (tab !== 'orders') refreshOrders().catch(showError);
}

async function tick() {
  if (!state.me || document.hidden) return;
  try {
    await refreshOrders();
    // A pairing QR changes every few seconds.
    if (state.tab === 'channels') await loadWhatsApp(false);
  } catch (error) {
    showError(error);
  }
}

// ---------- orders ----------

const signature = (order) => [order.status, order.payment?.status, order.history?.length, order.nextSteps?.join()].join('|');

async function refreshOrders() {
  if (state.busy) return;
  state.busy = true;
  try {
    const { orders = [] } = await api('/orders', { query: { from: today(), limit: 200 }, scoped: true });
    renderOrders(orders);
    $('#orders-updated').textContent = `Diperbarui ${time(Date.now(), HMS)}`;
  } finally {
    state.busy = false;
  }
}

function renderOrders(orders) {
  const root = $('#order-groups');
  if (!root.children.length) {
    for (const [status, label] of Object.entries(STATUS)) {
      root.append(el('section', { class: `group group-${status}`, data: { status }, hidden: true }, el('h3', {}, label, ' ', el('span', { class: 'count' })), el('div', { class: 'cards' })));
    }
  }
  const seen = new Set();
  for (const order of orders) {
    seen.add(order.id);
    const sig = signature(order);
    const entry = state.orders.get(order.id);
    if (entry?.sig === sig) {
      entry.order = order;
      continue;
    }
    entry?.card.remove();
    state.orders.set(order.id, { order, sig, card: orderCard(order) });
  }
  for (const [id, entry] of state.orders) {
    if (!seen.has(id)) {
      entry.card.remove();
      state.orders.delete(id);
    }
  }
  for (const section of root.children) {
    const list = orders.filter((order) => order.status === section.dataset.status);
    const cards = section.lastChild;
    // Only cards out of place move: a focused field in an unchanged card keeps its focus.
    list.forEach((order, index) => {
      const card = state.orders.get(order.id).card;
      if (cards.children[index] !== card) cards.insertBefore(card, cards.children[index] ?? null);
    });
    section.hidden = !list.length;
    section.querySelector('.count').textContent = `(${list.length})`;
  }
  $('#orders-empty').hidden = orders.length > 0;
  const fresh = orders.filter((order) => order.status === 'new').length;
  $('#new-badge').textContent = fresh;
  $('#new-badge').hidden = !fresh;
  const open = state.detail && state.orders.get(state.detail.id);
  if (open && open.sig !== state.detail.sig) renderDetail(open.order);
}

const fulfilment = (order) => {
  const where = order.fulfilment?.method === 'delivery' ? `Diantar ke: ${order.fulfilment.address ?? '(alamat belum ada)'}` : 'Ambil di koperasi';
  // When the resident wants it and a number to call, as they wrote them in the chat.
  const notes = [order.fulfilment?.when, order.fulfilment?.contactPhone && `HP ${order.fulfilment.contactPhone}`].filter(Boolean);
  return notes.length ? `${where} · ${notes.join(', ')}` : where;
};

function payment(order) {
  const { method, status } = order.payment ?? {};
  return el('span', {}, `${PAY_METHODS[method] ?? method} · `, el('span', { class: `pay pay-${status}`, text: PAY_STATUS[status] ?? status }));
}

function orderCard(order) {
  const card = el('article', { class: `card order-card status-${order.status}`, data: { id: order.id, number: order.number } },
    el('button', { type: 'button', class: 'card-head', title: 'Lihat detail', onclick: () => openDetail(order.id) },
      el('strong', { class: 'number', text: `#${order.number}` }),
      el('span', { class: 'muted', text: time(order.placedAt) }),
      el('span', { class: 'total', text: rupiah(order.totalRp) })),
    el('p', { class: 'muted', text: `${maskPhone(order.phone)} · ${CHANNELS[order.channel] ?? order.channel}` }),
    el('ul', { class: 'items' }, (order.items ?? []).map((item) => el('li', { text: `${item.name} ${qty(item.quantity)} ${item.unit}` }))),
    el('p', { text: fulfilment(order) }),
    el('p', {}, payment(order)),
    orderActions(order));
  card.addEventListener('click', (event) => {
    if (!event.target.closest('button, input, select, label, form')) openDetail(order.id);
  });
  return card;
}

function orderActions(order) {
  const wrap = el('div');
  const bar = el('div', { class: 'actions' });
  const act = (body) => changeOrder(order, body, wrap);
  for (const step of order.nextSteps ?? []) bar.append(btn(STEPS[step] ?? step, 'primary', () => act({ status: step })));
  if (order.payment?.status === 'pending' && order.status !== 'cancelled') bar.append(btn('Lunas', '', () => act({ payment: 'paid' })));
  if (order.payment?.status === 'refund_due') bar.append(btn('Uang dikembalikan', '', () => act({ payment: 'refunded' })));
  wrap.append(bar);
  if (REFUSABLE.includes(order.status)) {
    // An in-page form, not window.prompt: it works the same on every phone browser.
    const form = el('form', { class: 'reject-form', hidden: true },
      field(`Alasan menolak pesanan #${order.number}`, el('input', { name: 'reason', required: true, maxlength: 300, autocomplete: 'off', placeholder: 'mis. Stok gula habis' })),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'btn danger', text: 'Kirim penolakan' }),
        btn('Batal', 'ghost', () => { form.hidden = true; })));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      act({ status: 'cancelled', reason: form.elements.reason.value.trim() });
    });
    bar.append(btn('Tolak', 'danger-outline', () => toggle(form, 'reason')));
    wrap.append(form);
  }
  return bar.children.length ? wrap : null;
}

async function changeOrder(order, body, wrap) {
  const buttons = wrap.querySelectorAll('button');
  for (const button of buttons) button.disabled = true;
  try {
    await api(`/orders/${encodeURIComponent(order.id)}`, { method: 'PATCH', body });
    banner(`Pesanan #${order.number}: ${body.payment ? 'lunas' : STATUS[body.status].toLowerCase()}.`, 'ok');
  } catch (error) {
    showError(error);
  } finally {
    for (const button of buttons) button.disabled = false;
    // At once, not at the next poll: the card moves to its new group.
    await refreshOrders().catch(showError);
    if (state.detail?.id === order.id) await loadDetail().catch(showError);
  }
}

async function openDetail(id) {
  state.detail = { id, sig: '' };
  $('#orders-list').hidden = true;
  $('#order-detail').hidden = false;
  $('#order-detail').replaceChildren(loading());
  scrollTo(0, 0);
  await loadDetail().catch((error) => {
    closeDetail();
    showError(error);
  });
}

async function loadDetail() {
  const { order } = await api(`/orders/${encodeURIComponent(state.detail.id)}`);
  if (state.detail?.id === order.id) renderDetail(order);
}

function closeDetail() {
  state.detail = null;
  $('#order-detail').hidden = true;
  $('#order-detail').replaceChildren();
  $('#orders-list').hidden = false;
}

/** Who acted, as orders record it: resident, admin, staff-token:<label> (dashboard), staff:<name or phone> (chat). */
function actor(by = '') {
  if (by === 'resident') return 'pemesan';
  const staff = /^staff(?:-token)?:(.*)$/.exec(by);
  return staff ? `staf ${/^\+?\d{6,}$/.test(staff[1]) ? maskPhone(staff[1]) : staff[1]}` : by;
}

function renderDetail(order) {
  state.detail = { id: order.id, sig: signature(order) };
  const fact = (label, value) => [el('dt', { text: label }), el('dd', {}, value)];
  const line = (label, amount, extra = '') => el('li', { class: `sum ${extra}` }, el('span', { text: label }), el('span', { class: 'amount', text: rupiah(amount) }));
  $('#order-detail').replaceChildren(
    btn('← Kembali', 'ghost', closeDetail),
    el('article', { class: 'card detail' },
      el('h3', {}, `Pesanan #${order.number} `, el('span', { class: `chip chip-${order.status}`, text: STATUS[order.status] ?? order.status })),
      el('dl', { class: 'facts' },
        fact('Waktu', time(order.placedAt, DAY_HM)),
        // In full here: whoever delivers or prepares the order may need to call the resident.
        fact('Pemesan', `${order.phone} · ${CHANNELS[order.channel] ?? order.channel}`),
        fact(order.fulfilment?.method === 'delivery' ? 'Diantar' : 'Diambil', fulfilment(order)),
        fact('Pembayaran', payment(order))),
      el('h4', { text: 'Barang' }),
      el('ul', { class: 'lines' },
        (order.items ?? []).map((item) => el('li', {},
          el('span', {}, el('strong', { text: item.name }), el('br'), el('span', { class: 'muted', text: `${qty(item.quantity)} ${item.unit} × ${rupiah(item.unitPriceRp)}` })),
          el('span', { class: 'amount', text: rupiah(item.lineTotalRp) }))),
        line('Subtotal', order.subtotalRp),
        order.deliveryFeeRp ? line('Ongkos antar', order.deliveryFeeRp) : null,
        line('Total', order.totalRp, 'grand')),
      orderActions(order),
      el('h4', { text: 'Riwayat' }),
      el('ol', { class: 'history' },
        (order.history ?? []).map((entry) => el('li', {},
          el('span', { class: 'muted', text: time(entry.at, DAY_HM) }), ' ',
          el('strong', { text: STATUS[entry.status] ?? entry.status }), ` · oleh ${actor(entry.by)}`,
          entry.note ? el('div', { class: 'note', text: entry.note }) : null)))));
}

// ---------- forms ----------

function field(label, control) {
  control.id = `f${++uid}`;
  return el('div', { class: 'field' }, el('label', { for: control.id, text: label }), control);
}

const select = (name, options, value) => el('select', { name }, Object.entries(options).map(([key, label]) => el('option', { value: key, text: label, selected: key === value })));
const input = (name, props = {}) => el('input', { name, autocomplete: 'off', ...props });

function toggle(form, focus) {
  form.hidden = !form.hidden;
  if (!form.hidden) form.elements[focus].focus();
}

/** A card's form: submit runs `send` (which answers the line to show), errors show under the form. */
function cardForm(fields, label, send) {
  const result = el('p', { class: 'result', role: 'status' });
  const form = el('form', { class: 'panel inline-form', hidden: true }, fields, el('button', { type: 'submit', class: 'btn primary wide', text: label }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = form.querySelector('[type=submit]');
    submit.disabled = true;
    try {
      result.textContent = await send(form.elements);
      form.reset();
      form.hidden = true;
    } catch (error) {
      result.textContent = error instanceof ApiError ? describe(error) : error.message;
    } finally {
      submit.disabled = false;
    }
  });
  return { form, result };
}

// ---------- members ----------

async function loadMembers() {
  const list = $('#members-list');
  list.replaceChildren(loading());
  try {
    const { members = [] } = await api('/members', { query: { q: $('#member-q').value.trim(), limit: 50 }, scoped: true });
    list.replaceChildren(...(members.length ? members.map(memberCard) : [para('muted', 'Tidak ada anggota yang cocok.')]));
  } catch (error) {
    unavailable(list, error);
  }
}

function memberCard(member) {
  const balances = el('dl', { class: 'balances' }, Object.entries(SAVINGS).map(([type, label]) => el('div', {}, el('dt', { text: label }), el('dd', { data: { balance: type } }))));
  const show = (values) => {
    for (const type of Object.keys(SAVINGS)) balances.querySelector(`[data-balance="${type}"]`).textContent = rupiah(values?.[`${type}Rp`]);
  };
  show(member.balances);
  // One key per entry: a submit repeated after a lost answer posts nothing twice; an edit makes a new entry.
  const newKey = () => `dash-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  let key = newKey();
  const { form, result } = cardForm([
    field('Jenis simpanan', select('type', SAVINGS, 'sukarela')),
    field('Transaksi', select('kind', KINDS, 'deposit')),
    field('Jumlah (Rp)', input('amountRp', { inputmode: 'numeric', required: true, placeholder: 'mis. 50000' })),
    field('Catatan', input('note', { maxlength: 200, placeholder: 'mis. Setoran tunai di kasir' })),
  ], 'Simpan', async ({ type, kind, amountRp, note }) => {
    const digits = amountRp.value.replace(/[.\s]/g, '');
    if (!/^\d{1,10}$/.test(digits) || Number(digits) <= 0) throw new Error('Jumlah harus angka rupiah tanpa koma, mis. 50000.');
    const what = `${KINDS[kind.value]} ${type.value}`;
    const answer = await api(`/members/${encodeURIComponent(member.id)}/savings`, {
      method: 'POST',
      body: { type: type.value, kind: kind.value, amountRp: Number(digits), note: note.value.trim() || what },
      headers: { 'idempotency-key': key },
    });
    key = newKey();
    show(answer.member?.balances);
    return `Tersimpan: ${what.toLowerCase()} ${rupiah(digits)}.`;
  });
  form.addEventListener('input', () => { key = newKey(); });
  return el('article', { class: 'card member-card', data: { member: member.memberNumber } },
    el('div', { class: 'row' }, el('strong', { text: member.memberNumber }), el('span', { text: member.name })),
    para('muted', maskPhone(member.phone)),
    balances,
    btn('Catat setoran', 'wide', () => toggle(form, 'amountRp')),
    form,
    result);
}

// ---------- products ----------

async function loadProducts() {
  const list = $('#products-list');
  list.replaceChildren(loading());
  try {
    const { products = [] } = await api('/products', { scoped: true });
    list.replaceChildren(...(products.length ? products.map(productCard) : [para('muted', 'Belum ada produk.')]));
  } catch (error) {
    unavailable(list, error);
  }
}

function productCard(product) {
  const stock = el('span', { class: 'stock', data: { stock: product.productId } });
  const show = (value) => { stock.textContent = `Stok: ${qty(value.stock)} ${value.stockUnit}`; };
  show(product);
  const { form, result } = cardForm([
    field('Cara', select('mode', MODES, 'add')),
    field(`Jumlah (${product.stockUnit})`, input('quantity', { inputmode: 'decimal', required: true })),
    field('Alasan', input('reason', { maxlength: 200, placeholder: 'mis. Kiriman dari distributor' })),
  ], 'Simpan stok', async ({ mode, quantity, reason }) => {
    const text = quantity.value.trim().replace(',', '.');
    if (!/^\d+(\.\d+)?$/.test(text)) throw new Error('Jumlah harus angka, mis. 10 atau 2,5.');
    // This route names the cooperative in its body, not in the query.
    const { product: updated } = await api(`/products/${encodeURIComponent(product.productId)}/stock`, {
      method: 'POST',
      body: { ...(superadmin() ? { coop: state.coop } : {}), mode: mode.value, quantity: Number(text), reason: reason.value.trim() || MODES[mode.value] },
    });
    show(updated);
    return `Tersimpan. ${stock.textContent}.`;
  });
  return el('article', { class: 'card product-card', data: { product: product.productId } },
    el('div', { class: 'row' }, el('strong', { text: product.name }), el('span', { class: 'chip', text: product.category })),
    el('p', {}, stock, product.active === false ? el('span', { class: 'muted', text: ' · tidak dijual' }) : null),
    el('p', { class: 'muted', text: (product.units ?? []).map((unit) => `${rupiah(unit.priceRp)}/${unit.code}`).join(' · ') }),
    btn('Ubah stok', 'wide', () => toggle(form, 'quantity')),
    form,
    result);
}

// ---------- WhatsApp and outbox ----------

async function loadChannels() {
  $('#whatsapp-list').replaceChildren(loading());
  await Promise.all([loadWhatsApp(true), loadOutbox()]);
}

async function loadWhatsApp(force) {
  const list = $('#whatsapp-list');
  let numbers;
  try {
    ({ numbers = [] } = await api('/whatsapp'));
  } catch (error) {
    state.waSig = '';
    if (error.status === 403) list.replaceChildren(para('notice', 'Hanya pengurus koperasi yang dapat mengatur WhatsApp.'));
    else unavailable(list, error);
    return;
  }
  const chosen = state.coops.find((coop) => coop.slug === state.coop);
  if (chosen) numbers = numbers.filter((number) => number.coopId === chosen.id);
  // Unchanged: the QR someone is scanning must not flicker.
  const sig = JSON.stringify(numbers);
  if (!force && sig === state.waSig) return;
  state.waSig = sig;
  const cards = numbers.map((number) => whatsAppCard(number, number.coopId));
  if (!cards.length && state.coop) cards.push(whatsAppCard({ state: 'not_paired' }, state.coop));
  list.replaceChildren(...cards);
}

function whatsAppCard(number, coopRef) {
  const card = el('article', { class: 'card' },
    el('div', { class: 'row' },
      el('strong', { text: state.coops.find((coop) => coop.id === number.coopId)?.name ?? 'WhatsApp koperasi' }),
      el('span', { class: `chip wa-${number.state}`, text: WA[number.state] ?? number.state })));
  if (/^data:image\//.test(number.qrDataUrl ?? '')) {
    card.append(
      el('p', { text: 'Pindai dengan HP koperasi: WhatsApp › Perangkat tertaut › Tautkan perangkat.' }),
      el('img', { class: 'qr', src: number.qrDataUrl, alt: 'Kode QR untuk menautkan WhatsApp', width: 264, height: 264 }));
  }
  if (number.pairingCode) card.append(el('p', {}, 'Kode penautan: ', el('strong', { class: 'code', text: number.pairingCode })));
  if (number.state !== 'open') {
    const button = btn('Hubungkan', 'primary wide');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await api(`/whatsapp/${encodeURIComponent(coopRef)}/pair`, { method: 'POST', body: {} });
        await loadWhatsApp(true);
      } catch (error) {
        showError(error);
        button.disabled = false;
      }
    });
    card.append(button);
  }
  return card;
}

const tile = (label, value, sub, extra = '') => el('div', { class: `tile ${extra}` }, el('span', { class: 'tile-label', text: label }), el('strong', { class: 'tile-value', text: value }), sub ? el('span', { class: 'muted', text: sub }) : null);

async function loadOutbox() {
  const box = $('#outbox-health');
  box.replaceChildren(loading());
  try {
    const { pending = 0, failed = 0 } = (await api('/stats', { scoped: true })).outbox ?? {};
    box.replaceChildren(el('div', { class: 'tiles' }, tile('Menunggu terkirim', pending), tile('Gagal terkirim', failed, '', failed ? 'warn' : '')));
  } catch (error) {
    unavailable(box, error);
  }
}

// ---------- stats ----------

async function loadStats() {
  const summary = $('#stats-summary');
  summary.replaceChildren(loading());
  let stats;
  try {
    stats = await api('/stats', { scoped: true });
  } catch (error) {
    unavailable(summary, error);
    return;
  }
  const period = (label, value = {}) => tile(label, `${value.orders ?? 0} pesanan`, rupiah(value.revenueRp));
  summary.replaceChildren(period('Hari ini', stats.today), period('Bulan ini', stats.month));
  $('#stats-chart').replaceChildren(chart(stats.ordersPerDay ?? []));
  const top = stats.topProducts ?? [];
  $('#stats-top').replaceChildren(...(top.length
    ? top.map((product) => el('li', {}, el('strong', { text: product.name }), el('span', { class: 'muted', text: ` ${qty(product.quantity)} ${product.unit} · ${rupiah(product.revenueRp)}` })))
    : [el('li', { class: 'muted', text: 'Belum ada penjualan.' })]));
}

/** Orders per day as SVG bars; the server's days are in the cooperative's zone, oldest first. */
function chart(perDay) {
  const days = perDay.slice(-DAYS);
  const max = Math.max(1, ...days.map((day) => day.orders));
  const width = 350, height = 180, top = 16, bottom = 22, slot = width / Math.max(days.length, 1), bar = slot - 6;
  const total = days.reduce((sum, day) => sum + day.orders, 0);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'bars', role: 'img', 'aria-label': `${total} pesanan dalam ${days.length} hari, paling banyak ${max} sehari.` });
  root.append(svg('line', { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: 'axis' }));
  days.forEach((day, index) => {
    const h = ((height - top - bottom) * day.orders) / max;
    const x = index * slot + 3;
    const y = height - bottom - h;
    const rect = svg('rect', { x, y, width: bar, height: h, rx: 2, class: index === days.length - 1 ? 'bar today' : 'bar' });
    rect.append(svg('title', {}, `${DAY.format(new Date(`${day.day}T00:00:00Z`))}: ${day.orders} pesanan, ${rupiah(day.revenueRp)}`));
    root.append(rect, svg('text', { x: x + bar / 2, y: height - 8, class: 'bar-day' }, String(Number(day.day.slice(8)))));
    if (day.orders) root.append(svg('text', { x: x + bar / 2, y: y - 4, class: 'bar-count' }, String(day.orders)));
  });
  return root;
}

// ---------- wiring ----------

$('#signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = $('#signin-token').value.trim();
  const button = event.target.querySelector('button');
  if (!token) return;
  button.disabled = true;
  $('#signin-message').textContent = 'Memeriksa token…';
  try {
    await signIn(token);
    $('#signin-message').textContent = '';
  } catch (error) {
    if (!quiet(error)) {
      state.me = null;
      $('#signin-message').textContent = describe(error);
    }
  } finally {
    button.disabled = false;
  }
});
$('#sign-out').addEventListener('click', () => signOut('Anda sudah keluar.'));
$('#banner-close').addEventListener('click', hideBanner);
$('#tabs').addEventListener('click', (event) => {
  const button = event.target.closest('[data-tab]');
  if (button) showTab(button.dataset.tab);
});
$('#coop-picker').addEventListener('change', (event) => {
  state.coop = event.target.value;
  store.setItem('kdmp.coop', state.coop);
  state.epoch++;
  clearData();
  showTab(state.tab);
});
$('#member-search').addEventListener('submit', (event) => {
  event.preventDefault();
  loadMembers();
});
document.addEventListener('visibilitychange', tick);
if (state.token) signIn(state.token).catch((error) => quiet(error) || signOut(describe(error)));
else signOut('');
