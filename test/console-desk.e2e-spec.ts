/**
 * The desk's daily work in the console, in a real browser: giving cases to officers (one and
 * several at once) and the queues that follow, an internal note in the timeline, search by a word of
 * the summary, a registration sent twice giving one case, a half-typed form surviving an expired
 * session, the registration form on a phone, and the receipt and disposition sheet printed on A4.
 */
import type { Browser, Page } from 'playwright-core';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { launchBrowser, listen, screenshot } from './support/browser';
import { complaint, createTestApp, PASSWORD, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

describe('web console: the desk', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let ss: UnitActors;
  let send: ReturnType<typeof eventSender>;
  const pages = new Map<string, Page>();

  beforeAll(async () => {
    t = await createTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    ss = await unitActors(t, 'KANWIL-SS', 'meja');
    await t.user('meja.petugas2', 'KANWIL-SS', ['PETUGAS']);
    send = eventSender(t);
    const settings = (
      await t.http().get('/api/units/KANWIL-SS/settings').set('Authorization', `Bearer ${t.adminToken}`)
    ).body;
    const { unitCode: _unit, workflowVersion: _version, ...rest } = settings;
    await t
      .http()
      .put('/api/units/KANWIL-SS/settings')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ ...rest, officeAddress: 'Jl. Jenderal Sudirman No. 1, Palembang 30129' })
      .expect(200);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(page: Page, username: string) {
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/masuk'));
  }

  async function as(username: string, viewport = { width: 1366, height: 768 }): Promise<Page> {
    const key = `${username}@${viewport.width}`;
    const existing = pages.get(key);
    if (existing) return existing;
    const context = await browser.newContext({ locale: 'id-ID', viewport });
    const page = await context.newPage();
    await page.goto(`${base}/masuk`);
    await signIn(page, username);
    pages.set(key, page);
    return page;
  }

  /** A case at the Kabid's order, registered and disposed through the API. */
  async function atKabid(summary: string): Promise<{ id: string; registerNumber: string }> {
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ summary, receivedAt: new Date().toISOString() }))
        .expect(201)
    ).body;
    await send(ss.petugas, c.id, { type: 'DISPOSISI' });
    await send(ss.kakanwil, c.id, { type: 'DISPOSISI' });
    await send(ss.kadiv, c.id, { type: 'DISPOSISI' });
    return c;
  }

  const queueOf = async (username: string) => {
    const page = await as(username);
    await page.goto(`${base}/antrean`);
    return (await page.locator('main table').textContent()) ?? '';
  };

  it('gives a case to an officer with the order, moves it on reassignment, and the queues follow', async () => {
    const c = await atKabid('Sengketa batas tanah adat di Desa Sukamaju');
    const kabid = await as('meja.kabid');
    await kabid.goto(`${base}/kasus/${c.id}`);
    const order = kabid.locator('section.actions details', {
      has: kabid.locator('summary', { hasText: /^Perintahkan telaah$/ }),
    });
    await order.locator('summary').click();
    await order
      .getByLabel('Petugas penelaah (tidak wajib)')
      .selectOption({ label: 'meja.petugas2 (meja.petugas2)' });
    await order.getByRole('button', { name: 'Perintahkan telaah' }).click();
    await kabid.waitForURL(/ok=TELAAH/);
    await kabid.locator('dd', { hasText: 'meja.petugas2' }).first().waitFor();

    expect(await queueOf('meja.petugas2')).toContain(c.registerNumber);
    expect(await queueOf('meja.petugas')).not.toContain(c.registerNumber);

    const kasubbid = await as('meja.kasubbid');
    await kasubbid.goto(`${base}/kasus/${c.id}`);
    await kasubbid.locator('summary', { hasText: 'Tugaskan kepada petugas' }).click();
    await kasubbid.selectOption('#penugasan-userId', { label: 'meja.petugas (meja.petugas)' });
    await kasubbid.getByRole('button', { name: 'Simpan penugasan' }).click();
    await kasubbid.waitForURL(/ok=PENUGASAN/);
    // The history says who gave it from whom to whom.
    const latest = kasubbid.locator('.timeline > li').first();
    expect(await latest.textContent()).toMatch(
      /Penugasan petugas[\s\S]*meja\.kasubbid[\s\S]*meja\.petugas[\s\S]*meja\.petugas2/,
    );

    expect(await queueOf('meja.petugas')).toContain(c.registerNumber);
    expect(await queueOf('meja.petugas2')).not.toContain(c.registerNumber);
  });

  it('lets a supervisor give several cases at once from the list', async () => {
    const a = await atKabid('Penahanan tanpa surat perintah di Kota Lubuklinggau');
    const b = await atKabid('Penahanan tanpa surat perintah di Kabupaten Lahat');
    await send(ss.kabid, a.id, { type: 'TELAAH' });
    await send(ss.kabid, b.id, { type: 'TELAAH' });
    const kabid = await as('meja.kabid');
    await kabid.goto(`${base}/kasus?q=${encodeURIComponent('penahanan surat perintah')}`);
    await kabid.getByLabel(`Pilih ${a.registerNumber}`).check();
    await kabid.getByLabel(`Pilih ${b.registerNumber}`).check();
    await kabid.selectOption('#bulk-userId', { label: 'meja.petugas2 (meja.petugas2)' });
    await kabid.getByRole('button', { name: 'Tugaskan', exact: true }).click();
    await kabid.locator('.notice', { hasText: '2 kasus ditugaskan.' }).waitFor();
    const petugas2 = await as('meja.petugas2');
    await petugas2.goto(`${base}/antrean`);
    const table = (await petugas2.locator('main table').textContent()) ?? '';
    expect(table).toContain(a.registerNumber);
    expect(table).toContain(b.registerNumber);
    await screenshot(petugas2, '21-antrean-penugasan');
  });

  it('keeps an internal note in the timeline, newest first, and finds a case by a word of its summary', async () => {
    const c = await atKabid('Pemukulan wartawan saat meliput unjuk rasa di Palembang');
    const petugas = await as('meja.petugas');
    await petugas.goto(`${base}/kasus/${c.id}`);
    await petugas.fill('#catatan-text', 'Pengadu menelepon: bukti video akan dikirim besok.');
    await petugas.getByRole('button', { name: 'Simpan catatan' }).click();
    await petugas.waitForURL(/ok=CATATAN/);
    const first = petugas.locator('.timeline > li').first();
    expect(await first.textContent()).toContain('bukti video akan dikirim besok');
    expect(await first.getAttribute('class')).toBe('note');

    await petugas.goto(`${base}/kasus`);
    await petugas.fill('#q', 'WARTAWAN');
    await petugas.getByRole('button', { name: 'Tampilkan' }).click();
    await petugas.waitForURL(/q=WARTAWAN/);
    const rows = petugas.locator('main tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(c.registerNumber);
  });

  it('registers a form sent twice once, and prints its receipt on one A4 page with the code once', async () => {
    const petugas = await as('meja.petugas');
    await petugas.goto(`${base}/pengaduan/baru`);
    const summary = 'Intimidasi terhadap pendamping hukum di Kabupaten Musi Banyuasin';
    await petugas.fill('#complainant-name', 'Rahmat Hidayat');
    await petugas.selectOption('#channel', 'SURAT');
    await petugas.selectOption('#locus-provinceCode', 'ID-SS');
    await petugas.getByLabel('Hak atas rasa aman').check();
    await petugas.selectOption('#theme', 'PERTANAHAN');
    await petugas.selectOption('#reportedParty', 'KEPOLISIAN');
    await petugas.fill('#summary', summary);
    // Two quick clicks send the form twice; then a reload sends it a third time.
    await petugas.getByRole('button', { name: 'Daftarkan pengaduan' }).dblclick();
    await petugas.getByRole('heading', { name: 'Pengaduan terdaftar' }).waitFor();
    const code = ((await petugas.locator('.receipt-sheet .code').textContent()) ?? '').trim();
    petugas.once('dialog', (dialog) => void dialog.accept());
    await petugas.reload();
    await petugas.getByRole('heading', { name: 'Pengaduan terdaftar' }).waitFor();
    expect(((await petugas.locator('.receipt-sheet .code').textContent()) ?? '').trim()).toBe(code);
    const found = (
      await t
        .http()
        .get(`/api/cases?q=${encodeURIComponent('pendamping hukum musi')}`)
        .set('Authorization', `Bearer ${ss.petugas}`)
    ).body;
    expect(found.total).toBe(1);

    await petugas.emulateMedia({ media: 'print' });
    const printed = await petugas.locator('body').innerText();
    await petugas.emulateMedia({ media: null });
    expect(printed).toContain('Kantor Wilayah Sumatera Selatan');
    expect(printed).toContain('Jl. Jenderal Sudirman No. 1, Palembang 30129');
    expect(printed).toContain('http://localhost:3000/status');
    expect(printed.split(code).length - 1).toBe(1);
    expect(printed).not.toMatch(/hanya ditampilkan|Buka kasus|Keluar/);
    const pdf = await petugas.pdf({ format: 'A4' });
    expect(pdfPages(pdf)).toBe(1);
  });

  it('shows earlier complaints of the same complainant and of the same locus and theme while registering', async () => {
    const earlier = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(
          complaint({
            receivedAt: new Date().toISOString(),
            complainant: { name: 'Bambang Sutejo' },
            theme: 'KETENAGAKERJAAN',
            locus: { provinceCode: 'ID-SS', regency: 'Kabupaten Lahat' },
            summary: 'PHK sepihak buruh tambang',
          }),
        )
        .expect(201)
    ).body as { id: string; registerNumber: string };
    const petugas = await as('meja.petugas');
    await petugas.goto(`${base}/pengaduan/baru`);
    const related = petugas.locator('#pengaduan-serupa');
    await petugas.fill('#complainant-name', 'bambang sutejo');
    await petugas.locator('#complainant-name').blur();
    await related.getByRole('heading', { name: 'Pengadu dengan nama serupa' }).waitFor();
    await related.getByRole('link', { name: earlier.registerNumber }).waitFor();
    await petugas.selectOption('#locus-provinceCode', 'ID-SS');
    await petugas.fill('#locus-regency', 'KABUPATEN LAHAT');
    await petugas.locator('#locus-regency').blur();
    await petugas.selectOption('#theme', 'KETENAGAKERJAAN');
    await related.getByRole('heading', { name: 'Lokus dan tema yang sama (setahun terakhir)' }).waitFor();
    expect(await related.textContent()).toContain('Duplikat');
    await screenshot(petugas, 'pengaduan-serupa');
    // The name search was a reveal: recorded, without the name.
    const audit = (
      await t
        .http()
        .get('/api/audit')
        .query({ action: 'COMPLAINANT_SEARCH' })
        .set('Authorization', `Bearer ${t.adminToken}`)
        .expect(200)
    ).body as { items?: { details: { caseIds: string[] } }[] } | { details: { caseIds: string[] } }[];
    const rows = Array.isArray(audit) ? audit : (audit.items ?? []);
    expect(rows.some((r) => r.details.caseIds.includes(earlier.id))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('bambang');
  });

  it('prints the disposition sheet with each level, its date and its officer', async () => {
    const c = await atKabid('Pembubaran diskusi publik oleh aparat');
    await send(ss.kabid, c.id, { type: 'TELAAH', catatan: 'Telaah dalam 5 hari' });
    const kabid = await as('meja.kabid');
    await kabid.goto(`${base}/kasus/${c.id}`);
    await kabid.getByRole('link', { name: 'Cetak lembar disposisi' }).click();
    await kabid.getByRole('heading', { name: 'LEMBAR DISPOSISI' }).waitFor();
    const rows = await kabid.locator('.sheet-levels tbody tr').allTextContents();
    expect(rows.map((r) => r.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/Kakanwil.*meja\.kakanwil.*Disposisi/),
      expect.stringMatching(/meja\.kadiv.*Disposisi/),
      expect.stringMatching(/Kabid HAM.*meja\.kabid.*Perintahkan telaah; Telaah dalam 5 hari/),
    ]);
    await screenshot(kabid, '22-lembar-disposisi');
    await kabid.emulateMedia({ media: 'print' });
    const printed = await kabid.locator('body').innerText();
    await kabid.emulateMedia({ media: null });
    expect(printed).toContain('Jl. Jenderal Sudirman No. 1, Palembang 30129');
    expect(printed).not.toContain('Kembali ke kasus');
    expect(pdfPages(await kabid.pdf({ format: 'A4' }))).toBe(1);
  });

  it('fits the registration form on a phone and keeps a half-typed form across an expired session', async () => {
    const phone = await as('meja.petugas', { width: 390, height: 844 });
    await phone.goto(`${base}/pengaduan/baru`);
    const wide = await phone.evaluate<string[]>(
      `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391).map((e) => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right))`,
    );
    expect(wide).toEqual([]);
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(phone, '23-registrasi-ponsel');

    await phone.fill('#complainant-name', 'Dewi Lestari');
    await phone.fill('#summary', 'Draf yang belum sempat dikirim');
    // The session ends meanwhile (on another device, or by time).
    await phone.context().clearCookies();
    await phone.getByRole('button', { name: 'Daftarkan pengaduan' }).click();
    await phone.waitForURL(/\/masuk/);
    await signIn(phone, 'meja.petugas');
    await phone.waitForURL(/\/pengaduan\/baru/);
    expect(await phone.inputValue('#complainant-name')).toBe('Dewi Lestari');
    expect(await phone.inputValue('#summary')).toBe('Draf yang belum sempat dikirim');
    await phone.locator('.notice', { hasText: 'dipulihkan' }).waitFor();
  });

  it('lets a head dispose several cases at once from the queue, each its own event, a changed one refused', async () => {
    const register = async (summary: string) => {
      const c = (
        await t
          .http()
          .post('/api/cases')
          .set('Authorization', `Bearer ${ss.petugas}`)
          .send(complaint({ summary, receivedAt: new Date().toISOString() }))
          .expect(201)
      ).body as { id: string; registerNumber: string };
      await send(ss.petugas, c.id, { type: 'DISPOSISI' });
      return c;
    };
    const [a, b, changed] = [
      await register('Disposisi sekaligus satu'),
      await register('Disposisi sekaligus dua'),
      await register('Disposisi sekaligus tiga'),
    ];
    const head = await as('meja.kakanwil');
    await head.goto(`${base}/antrean`);
    for (const c of [a, b, changed]) await head.getByLabel(`Pilih ${c.registerNumber}`).check();
    await head.selectOption('#bulk-action', { label: 'Disposisi' });
    await head.fill('#bulk-catatan', 'Segera ditindaklanjuti');
    // Meanwhile another head's hand moves one of them on.
    await send(ss.kakanwil, changed.id, { type: 'DISPOSISI' });
    await head.getByRole('button', { name: 'Catat untuk kasus terpilih' }).click();
    const notice = (await head.locator('.notice').textContent()) ?? '';
    expect(notice).toContain('2 kasus: "Disposisi" tercatat.');
    expect(notice).toContain(`${changed.registerNumber}: kasus sudah berubah sejak daftar ditampilkan`);
    for (const c of [a, b]) {
      const history = (
        await t
          .http()
          .get(`/api/cases/${c.id}/history`)
          .set('Authorization', `Bearer ${ss.kabid}`)
          .expect(200)
      ).body as { type: string; actor: { username: string }; payload: { catatan?: string } }[];
      expect(history.at(-1)).toMatchObject({
        type: 'DISPOSISI',
        actor: { username: 'meja.kakanwil' },
        payload: { catatan: 'Segera ditindaklanjuti' },
      });
    }
  });

  it('saves a filtered list as a named view and opens it again', async () => {
    const head = await as('meja.kabid');
    await head.goto(`${base}/kasus`);
    await head.selectOption('#sla', 'OVERDUE');
    await head.fill('#q', 'sengketa');
    await head.getByRole('button', { name: 'Tampilkan' }).click();
    await head.waitForURL(/sla=OVERDUE/);
    await head.fill('#view-name', 'Sengketa lewat tenggat');
    await head.getByRole('button', { name: 'Simpan tampilan' }).click();
    await head.locator('.notice', { hasText: 'Tampilan tersimpan' }).waitFor();
    await head.goto(`${base}/kasus`);
    await head.getByRole('link', { name: 'Sengketa lewat tenggat' }).click();
    await head.waitForURL(/sla=OVERDUE/);
    expect(await head.inputValue('#sla')).toBe('OVERDUE');
    expect(await head.inputValue('#q')).toBe('sengketa');
    await head.getByRole('button', { name: 'Hapus tampilan Sengketa lewat tenggat' }).click();
    await head.waitForURL((url) => url.pathname === '/kasus' && url.search === '');
    expect(await head.getByRole('link', { name: 'Sengketa lewat tenggat' }).count()).toBe(0);
  });
});

/** The pages of a PDF that Chromium printed: its page objects. */
function pdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0;
}
