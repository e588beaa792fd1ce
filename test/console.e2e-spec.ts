/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core): an officer's
 * day from registration to closing, and a supervisor's deadlines and figures. Screenshots of each
 * page are kept in test-artifacts/console.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { SchedulerService } from '../src/sla/scheduler.service';
import { unitActors } from './support/actors';
import { launchBrowser, listen, screenshot, unlabelledControls } from './support/browser';
import { TestSmtpServer } from './support/smtp';
import { complaint, createTestApp, PASSWORD, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

describe('web console', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let institutionId: string;
  /** The officer path's complaint, as its complainant knows it from the receipt. */
  const receipt = { registerNumber: '', trackingCode: '', caseId: '' };
  const pages = new Map<string, Page>();
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    base = await listen(t);
    browser = await launchBrowser();
    await unitActors(t, 'KANWIL-SS', 'ss');
    const institution = await t
      .http()
      .post('/api/institutions')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({ name: 'Pemerintah Kota Palembang', email: 'setda@palembang.go.id', provinceCode: 'ID-SS' })
      .expect(201);
    institutionId = institution.body.id;
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  /** One signed-in page per user, each in its own browser context (its own cookies). */
  async function as(username: string): Promise<Page> {
    const existing = pages.get(username);
    if (existing) return existing;
    const context = await browser.newContext({
      acceptDownloads: true,
      locale: 'id-ID',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(`${base}/masuk`);
    // Keyboard only: the username field takes focus on arrival (autofocus), then Tab and Enter.
    await page.waitForFunction('document.activeElement && document.activeElement.id === "username"');
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => !url.pathname.startsWith('/masuk'));
    pages.set(username, page);
    return page;
  }

  async function act(
    page: Page,
    caseUrl: string,
    label: string,
    fill: (form: ReturnType<Page['locator']>) => Promise<void> = async () => {},
  ) {
    await page.goto(caseUrl);
    const action = page.locator('section.actions details', {
      has: page.locator('summary', { hasText: new RegExp(`^${label}$`) }),
    });
    await action.locator('summary').click();
    const form = action.locator('form');
    await fill(form);
    await form.getByRole('button', { name: label }).click();
    await page.waitForURL(/\?ok=/);
    await seeText(page.locator('.notice'), 'contains', `"${label}" tercatat`);
  }

  it('lets an officer register, dispose, review, send a letter, record the answer and close', async () => {
    const petugas = await as('ss.petugas');
    expect(new URL(petugas.url()).pathname).toBe('/antrean');
    await petugas.getByRole('link', { name: 'Pengaduan baru' }).click();
    expect(await unlabelledControls(petugas)).toEqual([]);

    await petugas.fill('#complainant-name', 'Siti Aminah');
    await petugas.fill('#complainant-email', 'bukan-email');
    await petugas.selectOption('#channel', 'SURAT');
    await petugas.selectOption('#locus-provinceCode', 'ID-SS');
    await petugas.getByLabel('Hak atas rasa aman').check();
    await petugas.selectOption('#theme', 'PERTANAHAN');
    await petugas.selectOption('#reportedParty', 'KEPOLISIAN');
    await petugas.getByRole('button', { name: 'Daftarkan pengaduan' }).click();
    // The API's reasons, in Indonesian, next to the fields; nothing typed is lost.
    await seeText(petugas.locator('#err-complainant-email'), 'is', 'bukan alamat email yang valid');
    await seeText(petugas.locator('#err-summary'), 'is', 'wajib diisi');
    expect(await petugas.inputValue('#complainant-name')).toBe('Siti Aminah');
    await screenshot(petugas, '01-registrasi-galat');

    await petugas.fill('#complainant-email', 'siti@example.id');
    await petugas.fill('#locus-regency', 'Kota Palembang');
    await petugas.fill('#summary', 'Penggusuran lahan tanpa putusan pengadilan');
    await petugas.getByRole('button', { name: 'Daftarkan pengaduan' }).click();
    await petugas.getByRole('heading', { name: 'Pengaduan terdaftar' }).first().waitFor();
    await seeText(petugas.locator('.receipt-sheet .code'), 'is', /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    receipt.trackingCode = ((await petugas.locator('.receipt-sheet .code').textContent()) ?? '').trim();
    await screenshot(petugas, '02-tanda-terima');
    await petugas.getByRole('link', { name: 'Buka kasus' }).click();
    const caseUrl = petugas.url();
    const caseId = caseUrl.split('/').pop()!;
    receipt.caseId = caseId;
    receipt.registerNumber = ((await petugas.locator('h1').textContent()) ?? '').replace('Kasus ', '').trim();
    await seeText(petugas.locator('h1'), 'contains', 'KANWIL-SS/');
    await seeText(petugas.locator('#h-tenggat + p .sla'), 'is', 'Tepat waktu');
    await seeText(petugas.locator('.days li').first(), 'contains', 'hari mulai langkah');

    // The new case is the first in the officer's queue.
    await petugas.goto(`${base}/antrean`);
    await seeText(petugas.locator('tbody tr').first(), 'contains', 'Penerimaan dan pemeriksaan');
    await screenshot(petugas, '02b-antrean');

    await act(petugas, caseUrl, 'Disposisi');
    await act(await as('ss.kakanwil'), caseUrl, 'Disposisi');
    await act(await as('ss.kadiv'), caseUrl, 'Disposisi');
    const kabid = await as('ss.kabid');
    await act(kabid, caseUrl, 'Perintahkan telaah');

    // A document for the review, uploaded through the console and downloadable again.
    await petugas.goto(caseUrl);
    await petugas.setInputFiles('#lampiran-file', {
      name: 'telaahan.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Draft telaahan kasus'),
    });
    await petugas.fill('#lampiran-description', 'Draft telaahan');
    await petugas.getByRole('button', { name: 'Unggah lampiran' }).click();
    await seeText(petugas.locator('.notice'), 'is', 'Lampiran tersimpan.');
    const download = await Promise.all([
      petugas.waitForEvent('download'),
      petugas.locator('#lampiran').getByRole('link', { name: 'telaahan.txt' }).click(),
    ]).then(([d]) => d);
    expect(readFileSync(await download.path(), 'utf8')).toBe('Draft telaahan kasus');

    await act(petugas, caseUrl, 'Ajukan telaahan');
    await act(kabid, caseUrl, 'Setujui telaahan', async (form) => {
      await form.getByLabel('Kesimpulan telaahan').selectOption('REKOMENDASI');
    });
    await act(petugas, caseUrl, 'Ajukan surat rekomendasi');
    await act(await as('ss.kadiv'), caseUrl, 'Setujui surat');
    await act(petugas, caseUrl, 'Kirim surat rekomendasi', async (form) => {
      await form.getByLabel('Nomor surat').fill('W6.HAM.01-123');
      await form.getByLabel('Instansi tujuan').selectOption(institutionId);
    });
    await seeText(petugas.locator('#h-surat ~ .table-wrap'), 'contains', 'Pemerintah Kota Palembang');
    await seeText(petugas.locator('#h-surat ~ .table-wrap'), 'contains', 'Menunggu tanggapan');
    await act(petugas, caseUrl, 'Catat tanggapan instansi', async (form) => {
      await form.getByLabel('Instansi yang menanggapi').selectOption(institutionId);
      await form.getByLabel('Ringkasan tanggapan').fill('Pemkot menunda penggusuran dan membuka mediasi');
    });
    await act(kabid, caseUrl, 'Selesaikan');
    await seeText(kabid.locator('dl.facts').first(), 'contains', 'Selesai');
    // Twelve events and the upload, newest first: the closing on top.
    await seeCount(kabid.locator('.timeline li'), 13);
    await seeText(kabid.locator('.timeline > li').first(), 'contains', 'Selesai');
    await seeText(kabid.locator('.timeline'), 'contains', 'Pemkot menunda penggusuran');
    expect(await unlabelledControls(kabid)).toEqual([]);
    await screenshot(kabid, '03-kasus-selesai');

    const view = await t
      .http()
      .get(`/api/cases/${caseId}`)
      .set('Authorization', `Bearer ${t.adminToken}`)
      .expect(200);
    expect(view.body.state).toBe('selesai');
    expect(view.body.category).toBe('TELAAH_REKOMENDASI');
  });

  it('refuses a stale form with the news that someone else acted, and loses nothing', async () => {
    const token = await t.login('ss.petugas');
    const created = await t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${token}`)
      .send(complaint({ receivedAt: new Date().toISOString() }))
      .expect(201);
    const petugas = await as('ss.petugas');
    await petugas.goto(`${base}/kasus/${created.body.id}`);
    const action = petugas.locator('section.actions details', {
      has: petugas.locator('summary', { hasText: /^Berkas tidak lengkap$/ }),
    });
    await action.locator('summary').click();
    await action.getByLabel('Kekurangan berkas').fill('Fotokopi KTP');
    // Meanwhile a colleague disposes the case through the API.
    await t
      .http()
      .post(`/api/cases/${created.body.id}/events`)
      .set('Authorization', `Bearer ${token}`)
      .send({ type: 'DISPOSISI' })
      .expect(200);
    await action.getByRole('button', { name: 'Berkas tidak lengkap' }).click();
    await seeText(petugas.locator('#galat-tindakan'), 'contains', 'baru saja diubah oleh pengguna lain');
    const history = await t
      .http()
      .get(`/api/cases/${created.body.id}/history`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(history.body.map((e: { type: string }) => e.type)).toEqual(['REGISTRASI', 'DISPOSISI']);
  });

  it('shows a supervisor the overdue cases, the compliance chart, the recap with its drill-down and exports', async () => {
    const token = await t.login('ss.petugas');
    const late = await t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${token}`)
      .send(
        complaint({
          receivedAt: '2026-01-05T09:00:00+07:00',
          locus: { provinceCode: 'ID-SS', regency: 'Kabupaten Banyuasin' },
        }),
      )
      .expect(201);
    // The sweep escalates the overdue step; the supervisor hears of it in the header and the list.
    await t.app.get(SchedulerService).tick();
    const kabid = await as('ss.kabid');
    await kabid.goto(`${base}/dasbor`);
    await seeText(kabid.locator('a[href="/notifikasi"] .badge'), 'is', /^[1-9]\d*$/);
    await seeText(kabid.locator('#h-lewat + .table-wrap'), 'contains', late.body.registerNumber);
    await seeText(kabid.locator('#h-lewat + .table-wrap .sla').first(), 'is', 'Lewat tenggat');
    await seeText(kabid.locator('#h-patuh ~ figure svg title'), 'is', 'Kepatuhan tenggat per langkah SOP');
    expect(await kabid.locator('#h-patuh ~ figure svg rect').count()).toBeGreaterThan(3);
    expect(await unlabelledControls(kabid)).toEqual([]);
    await screenshot(kabid, '04-dasbor');
    await kabid.goto(`${base}/notifikasi`);
    await seeText(kabid.locator('.timeline'), 'contains', `Tenggat terlewati: ${late.body.registerNumber}`);
    await kabid.getByRole('button', { name: 'Buka kasus' }).first().click();
    await kabid.waitForURL(`${base}/kasus/${late.body.id}`);
    await kabid.goto(`${base}/dasbor`);

    await kabid.getByRole('link', { name: 'Laporan', exact: true }).click();
    const recap = kabid.locator('table.recap');
    const palembang = recap.locator('tbody tr', {
      has: kabid.locator('th', { hasText: 'Sumatera Selatan' }),
    });
    // Six columns add up to JUMLAH; the total row equals the sum of the rows.
    const cells = await palembang.locator('td.num').allInnerTexts();
    const [proses, file, telaahFile, telaahMediasi, telaahRek, rek, jumlah] = cells.slice(1, 8).map(Number);
    expect(proses + file + telaahFile + telaahMediasi + telaahRek + rek).toBe(jumlah);
    expect(jumlah).toBe(3);
    const totals = await recap.locator('tfoot td.num').allInnerTexts();
    expect(Number(totals[6])).toBe(3);
    await kabid.locator('#h-indikator ~ figure svg').first().waitFor();
    await screenshot(kabid, '05-laporan');

    await palembang.locator('td.num a').first().click();
    await seeText(kabid.locator('h1'), 'contains', 'PROSES');
    await seeText(kabid.locator('tbody'), 'contains', late.body.registerNumber);
    await screenshot(kabid, '06-rincian-kasus');

    await kabid.goBack();
    const [csv] = await Promise.all([
      kabid.waitForEvent('download'),
      kabid.locator('#h-rekap ~ p a', { hasText: 'CSV' }).click(),
    ]);
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text).toContain('PROSES');
    expect(text).toContain('Sumatera Selatan');
    const [xlsx] = await Promise.all([
      kabid.waitForEvent('download'),
      kabid.locator('#h-rekap ~ p a', { hasText: 'XLSX' }).click(),
    ]);
    expect(
      readFileSync(await xlsx.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('lets the complainant follow the complaint and answer the survey without an account', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${base}/status`);
    await page.fill('#registerNumber', receipt.registerNumber);
    await page.fill('#trackingCode', 'AAAA-BBBB-CCCC-DDDD-EEEE');
    await page.getByRole('button', { name: 'Lihat status' }).click();
    await seeText(page.locator('#galat-status'), 'contains', 'tidak cocok');
    await page.fill('#trackingCode', receipt.trackingCode.toLowerCase());
    await page.getByRole('button', { name: 'Lihat status' }).click();
    await seeText(page.locator('#h-status'), 'contains', 'Selesai');
    // Never a name, an institution or an answer on the public page.
    const shown = (await page.locator('main').textContent()) ?? '';
    expect(shown).not.toContain('Siti');
    expect(shown).not.toContain('Palembang');
    expect(shown).not.toContain('Pemkot');
    await screenshot(page, '07-status-pengadu');

    // The closing mail in the complainant's inbox carries the survey link (the outbox shows it masked).
    await t.app.get(SchedulerService).tick();
    const closing = smtp.received.find(
      (m) => /selesai/i.test(m.subject) && m.raw.includes(receipt.registerNumber),
    )!;
    const link = /https?:\/\/\S+\/survei\/([A-Za-z0-9_-]+)/.exec(closing.raw.replace(/=\r?\n/g, ''))!;
    await page.goto(`${base}/survei/${link[1]}`);
    expect(await unlabelledControls(page)).toEqual([]);
    // Each element in its own words, without the internal codes.
    expect(await page.locator('fieldset').nth(3).textContent()).toMatch(
      /Biaya\/tarif[\s\S]*Sangat mahal[\s\S]*Gratis/,
    );
    expect(await page.locator('legend').first().textContent()).not.toMatch(/U1/);
    for (const code of ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8'])
      await page.locator(`input[name=${code}][value="4"]`).check();
    await page.locator('form').evaluate((form) => form.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Kirim penilaian' }).click();
    await seeText(page.locator('.errors'), 'contains', 'lengkapi semua pertanyaan');
    expect(await page.locator('input[name=U1][value="4"]').isChecked()).toBe(true);
    await page.locator('input[name=U9][value="3"]').check();
    await page.getByRole('button', { name: 'Kirim penilaian' }).click();
    await seeText(page.locator('h1'), 'is', 'Terima kasih');
    await page.goto(`${base}/survei/${link[1]}`);
    await seeText(page.locator('main'), 'contains', 'sudah diisi');
    await context.close();
  });

  it('lets an administrator manage users, calendars and letters, and a user change a password', async () => {
    await t.user('pusat.admin', 'PUSAT', ['ADMIN']);
    const admin = await as('pusat.admin');
    expect(new URL(admin.url()).pathname).toBe('/admin');
    await admin.getByRole('link', { name: 'Pengguna' }).first().click();
    await admin.fill('#username', 'ss.petugas2');
    await admin.fill('#fullName', 'Petugas Kedua');
    await admin.selectOption('#unitCode', 'KANWIL-SS');
    await admin.fill('#password', 'pendek');
    await admin.getByLabel('Petugas', { exact: true }).check();
    await admin.getByRole('button', { name: 'Tambah pengguna' }).click();
    await seeText(admin.locator('.errors'), 'contains', 'Kata sandi');
    expect(await admin.inputValue('#fullName')).toBe('Petugas Kedua');
    await admin.fill('#password', 'SandiAwal12345');
    await admin.getByRole('button', { name: 'Tambah pengguna' }).click();
    await seeText(admin.locator('.notice'), 'is', 'Perubahan tersimpan.');
    await seeText(admin.locator('table'), 'contains', 'ss.petugas2');

    // A day off added to the calendar re-computes the open deadlines it can move.
    const year = new Date().getUTCFullYear();
    await admin.goto(`${base}/admin/kalender?tahun=${year}`);
    await admin.fill('#date', `${year}-12-30`);
    await admin.fill('#name', 'Libur uji');
    await admin.getByRole('button', { name: 'Simpan' }).click();
    await seeText(admin.locator('.notice'), 'contains', 'dihitung ulang');
    await seeText(admin.locator('table'), 'contains', 'Libur uji');
    admin.once('dialog', (dialog) => dialog.accept());
    await admin.getByRole('button', { name: `Hapus Libur uji (${year}-12-30)` }).click();
    await seeText(admin.locator('.notice'), 'contains', 'dihitung ulang');
    expect(await admin.locator('table').textContent()).not.toContain('Libur uji');

    await admin.goto(`${base}/admin/templat-surat`);
    const firstTemplate = admin.locator('section.card').first();
    await firstTemplate.getByLabel('Perihal').fill('x');
    await firstTemplate.getByRole('button', { name: /^Simpan templat/ }).click();
    await seeText(admin.locator('.errors'), 'contains', 'terlalu pendek');

    // The background jobs: each one's last success, and what they parked (nothing here).
    await admin.goto(`${base}/admin`);
    await admin.getByRole('link', { name: 'Pekerjaan latar' }).click();
    await seeText(admin.locator('h1'), 'is', 'Pekerjaan latar');
    await seeText(admin.locator('tbody'), 'contains', 'Pemeriksaan tenggat dan eskalasi');
    await seeText(
      admin.locator('tbody tr', { hasText: 'Pengingat kepada instansi' }),
      'contains',
      'tidak ada',
    );
    await screenshot(admin, '09-pekerjaan-latar');

    // A legacy spreadsheet: a trial run reports each row, the real run creates the good one.
    const sheet = Buffer.from(
      [
        'nomor_register;unit;tanggal_diterima;provinsi;kabupaten_kota;hak;tema;pihak_teradu;saluran;jenis;ringkasan;hasil;tanggal_hasil;nomor_surat;tanggal_surat;institusi;tanggal_tanggapan',
        'LAMA/SS/2023/001;KANWIL-SS;06/07/2023;ID-SS;;RASA_AMAN;PIDANA;KEPOLISIAN;SURAT;TEMBUSAN;Tembusan;FILE;2023-07-10;;;;',
        'LAMA/SS/2023/002;KANWIL-SS;2023-13-40;ID-SS;;RASA_AMAN;ASTROLOGI;KEPOLISIAN;SURAT;LANGSUNG;Rusak;PROSES;;;;;',
      ].join('\r\n'),
    );
    await admin.goto(`${base}/impor`);
    await admin.setInputFiles('#file', { name: 'rekap-2023.csv', mimeType: 'text/csv', buffer: sheet });
    await admin.getByRole('button', { name: 'Impor' }).click();
    await seeText(admin.locator('#h-hasil'), 'contains', 'Hasil uji coba');
    await seeText(admin.locator('dl.facts'), 'contains', /Akan dibuat\s*1\s*Dilewati/);
    await seeText(admin.locator('tbody'), 'contains', 'ASTROLOGI');
    await admin.setInputFiles('#file', { name: 'rekap-2023.csv', mimeType: 'text/csv', buffer: sheet });
    await admin.getByLabel('Uji coba saja (tidak menyimpan apa pun)').uncheck();
    await admin.getByRole('button', { name: 'Impor' }).click();
    await seeText(admin.locator('#h-hasil'), 'contains', 'Hasil impor');
    await seeText(admin.locator('dl.facts'), 'contains', /Dibuat\s*1\s*Dilewati/);
    expect(
      (
        await t
          .http()
          .get('/api/cases?q=LAMA/SS/2023')
          .set('Authorization', `Bearer ${t.adminToken}`)
          .expect(200)
      ).body.total,
    ).toBe(1);

    await admin.goto(`${base}/surel`);
    await seeText(admin.locator('caption'), 'contains', 'surel');
    await admin.locator('tbody a').first().click();
    await seeText(admin.locator('h2').nth(1), 'is', 'Riwayat pengiriman');
    expect(await unlabelledControls(admin)).toEqual([]);

    // The new officer changes the initial password and stays signed in.
    const context = await browser.newContext();
    const officer = await context.newPage();
    await officer.goto(`${base}/masuk`);
    await officer.fill('#username', 'ss.petugas2');
    await officer.fill('#password', 'SandiAwal12345');
    await officer.getByRole('button', { name: 'Masuk' }).click();
    await officer.goto(`${base}/akun`);
    await officer.fill('#currentPassword', 'salah-sekali-1');
    await officer.fill('#newPassword', 'SandiBaru98765');
    await officer.fill('#repeatPassword', 'SandiBaru98765');
    await officer.getByRole('button', { name: 'Ganti kata sandi' }).click();
    await seeText(officer.locator('.field-error'), 'is', 'kata sandi saat ini salah');
    await officer.fill('#currentPassword', 'SandiAwal12345');
    await officer.fill('#newPassword', 'SandiBaru98765');
    await officer.fill('#repeatPassword', 'SandiBaru98765');
    await officer.getByRole('button', { name: 'Ganti kata sandi' }).click();
    await seeText(officer.locator('.notice'), 'is', 'Kata sandi telah diganti.');
    await officer.goto(`${base}/antrean`);
    await seeText(officer.locator('h1'), 'is', 'Antrean saya');
    await t.login('ss.petugas2', 'SandiBaru98765');
    // Signing out ends the session in the API: the cookie's token is refused afterwards.
    const [cookie] = await context.cookies();
    await officer.getByRole('button', { name: 'Keluar' }).click();
    await seeText(officer.locator('.notice'), 'is', 'Anda telah keluar.');
    await t.http().get('/api/users/me').set('Authorization', `Bearer ${cookie.value}`).expect(401);
    await context.close();
  });

  it('keeps the console to signed-in users and to its own forms', async () => {
    const res = await fetch(`${base}/antrean`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/masuk?lanjut=%2Fantrean');
    const token = await t.login('ss.petugas');
    const forged = await fetch(`${base}/pengaduan/baru`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: `yankomas_sesi=${token}`,
        origin: 'https://situs-lain.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'name=x',
    });
    expect(forged.status).toBe(403);
    // A Kanwil officer has no administration pages: the API refuses, and the console says so.
    const petugas = await as('ss.petugas');
    await petugas.goto(`${base}/admin/pengguna`);
    await seeText(petugas.locator('h1'), 'is', 'Tidak berwenang');
    expect(await petugas.getByRole('link', { name: 'Administrasi' }).count()).toBe(0);
  });

  it('lets a unit head stop the reminders to one institution, and asks about the others when closing', async () => {
    const other = (
      await t
        .http()
        .post('/api/institutions')
        .set('Authorization', `Bearer ${t.adminToken}`)
        .send({
          name: 'Pemerintah Kabupaten Banyuasin',
          email: 'setda@banyuasin.go.id',
          provinceCode: 'ID-SS',
        })
        .expect(201)
    ).body.id as string;
    const token = async (username: string) => t.login(username);
    const api = async (username: string, id: string, body: object) =>
      t
        .http()
        .post(`/api/cases/${id}/events`)
        .set('Authorization', `Bearer ${await token(username)}`)
        .send(body)
        .expect(200);
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${await token('ss.petugas')}`)
        .send(complaint())
        .expect(201)
    ).body as { id: string };
    for (const [who, type] of [
      ['ss.petugas', 'DISPOSISI'],
      ['ss.kakanwil', 'DISPOSISI'],
      ['ss.kadiv', 'DISPOSISI'],
      ['ss.kabid', 'REKOMENDASI_SEGERA'],
      ['ss.petugas', 'AJUKAN_SURAT'],
      ['ss.kakanwil', 'SETUJUI_SURAT'],
    ])
      await api(who, c.id, { type });
    await api('ss.petugas', c.id, {
      type: 'KIRIM_SURAT',
      letterNumber: 'W6.HAM.01-321',
      institutionIds: [institutionId, other],
    });
    const caseUrl = `${base}/kasus/${c.id}`;
    // The officer sees the letters, but stopping reminders is the unit head's decision.
    const petugas = await as('ss.petugas');
    await petugas.goto(caseUrl);
    await seeCount(petugas.getByRole('button', { name: 'Hentikan pengingat' }), 0);

    const kabid = await as('ss.kabid');
    await kabid.goto(caseUrl);
    const row = kabid.locator('#h-surat ~ .table-wrap tbody tr', {
      hasText: 'Pemerintah Kabupaten Banyuasin',
    });
    await row
      .getByLabel('Alasan menghentikan pengingat')
      .fill('Instansi menyatakan tidak berwenang atas lahan itu');
    await row.getByRole('button', { name: 'Hentikan pengingat' }).click();
    await kabid.waitForURL(/\?ok=PENGINGAT_DIHENTIKAN/);
    await seeText(kabid.locator('.notice'), 'contains', '"Pengingat dihentikan" tercatat');
    const stopped = kabid.locator('#h-surat ~ .table-wrap tbody tr', {
      hasText: 'Pemerintah Kabupaten Banyuasin',
    });
    await seeText(stopped, 'contains', 'Pengingat dihentikan');
    await seeText(stopped, 'contains', 'oleh ss.kabid: Instansi menyatakan tidak berwenang atas lahan itu');
    await seeText(kabid.locator('.timeline'), 'contains', 'Pengingat dihentikan');
    await screenshot(kabid, '03b-pengingat-dihentikan');

    // Closing with one institution still reminded: the form asks what to do with it.
    const third = (
      await t
        .http()
        .post('/api/institutions')
        .set('Authorization', `Bearer ${t.adminToken}`)
        .send({
          name: 'Pemerintah Kabupaten Musi Banyuasin',
          email: 'setda@muba.go.id',
          provinceCode: 'ID-SS',
        })
        .expect(201)
    ).body.id as string;
    await api('ss.petugas', c.id, { type: 'TANGGAPAN', institutionId, summary: 'Pemkot menindaklanjuti' });
    await api('ss.kabid', c.id, { type: 'TINDAK_LANJUT_ULANG' });
    await api('ss.petugas', c.id, { type: 'AJUKAN_SURAT' });
    await api('ss.kakanwil', c.id, { type: 'SETUJUI_SURAT' });
    await api('ss.petugas', c.id, {
      type: 'KIRIM_SURAT',
      letterNumber: 'W6.HAM.01-322',
      institutionIds: [institutionId, third],
    });
    await api('ss.petugas', c.id, { type: 'TANGGAPAN', institutionId, summary: 'Pemkot menyelesaikan' });
    await act(kabid, caseUrl, 'Selesaikan', async (form) => {
      await seeText(form, 'contains', 'Belum menanggapi: Pemerintah Kabupaten Musi Banyuasin.');
      await form.getByLabel('Pengingat kepada instansi yang belum menanggapi').selectOption('HENTIKAN');
    });
    await seeText(
      kabid.locator('#h-surat ~ .table-wrap tbody tr', { hasText: 'Pemerintah Kabupaten Musi Banyuasin' }),
      'contains',
      'kasus ditutup (SELESAI) sebelum instansi menanggapi',
    );
    expect(await unlabelledControls(kabid)).toEqual([]);
  });

  it('takes a version 2 case through mediation with its forms, the mediator chosen from the unit', async () => {
    const token = async (username: string) => t.login(username);
    const c = (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${await token('ss.petugas')}`)
        .send(complaint())
        .expect(201)
    ).body as { id: string; workflowVersion: number };
    expect(c.workflowVersion).toBe(2);
    for (const [who, type] of [
      ['ss.petugas', 'DISPOSISI'],
      ['ss.kakanwil', 'DISPOSISI'],
      ['ss.kadiv', 'DISPOSISI'],
      ['ss.kabid', 'TELAAH'],
      ['ss.petugas', 'AJUKAN_TELAAH'],
    ])
      await t
        .http()
        .post(`/api/cases/${c.id}/events`)
        .set('Authorization', `Bearer ${await token(who)}`)
        .send({ type })
        .expect(200);
    const kabid = await as('ss.kabid');
    const caseUrl = `${base}/kasus/${c.id}`;
    await act(kabid, caseUrl, 'Setujui telaahan', async (form) => {
      await form.getByLabel('Kesimpulan telaahan').selectOption('MEDIASI');
    });
    await seeText(
      kabid.locator('main'),
      'contains',
      'Pramediasi: persetujuan para pihak dan penunjukan mediator',
    );
    await act(kabid, caseUrl, 'Para pihak setuju mediasi', async (form) => {
      const mediator = form.getByLabel('Mediator');
      // Only the unit's officers are offered; the Kabid is not one.
      await seeCount(mediator.locator('option', { hasText: '(ss.petugas)' }), 1);
      await seeCount(mediator.locator('option', { hasText: '(ss.kabid)' }), 0);
      await mediator.selectOption({ label: 'ss.petugas (ss.petugas)' });
      await form.getByLabel('Pihak teradu yang ikut mediasi').selectOption(institutionId);
    });
    await seeText(kabid.locator('main'), 'contains', 'Pelaksanaan mediasi');
    await screenshot(kabid, '20-mediasi-pelaksanaan');
    expect(await unlabelledControls(kabid)).toEqual([]);
    await act(kabid, caseUrl, 'Mediasi berhasil', async (form) => {
      await form.getByLabel('Isi kesepakatan para pihak').fill('Teradu mengembalikan lahan dalam 30 hari');
    });
    await seeText(kabid.locator('main'), 'contains', 'Pemantauan pelaksanaan kesepakatan');
    await act(kabid, caseUrl, 'Kesepakatan dilaksanakan');
    await seeText(kabid.locator('.timeline'), 'contains', 'Kesepakatan dilaksanakan');
    // The history names the mediator and the parties, never their ids.
    await seeText(kabid.locator('.timeline'), 'contains', 'Mediatorss.petugas (ss.petugas)');
    await seeText(kabid.locator('.timeline'), 'contains', 'InstansiPemerintah Kota Palembang');
  });
});

/** Waits (up to 10 s) until the element's text matches, then asserts it, so a failure shows the text. */
async function seeText(locator: Locator, how: 'is' | 'contains', expected: string | RegExp): Promise<void> {
  const matches = (text: string) =>
    expected instanceof RegExp
      ? expected.test(text)
      : how === 'is'
        ? text.trim() === expected
        : text.includes(expected);
  let text = '';
  for (
    const started = Date.now();
    Date.now() - started < 10_000;
    await new Promise((r) => setTimeout(r, 100))
  ) {
    text = (
      (await locator
        .first()
        .textContent({ timeout: 10_000 })
        .catch(() => '')) ?? ''
    ).replace(/\s+/g, ' ');
    if (matches(text)) return;
  }
  if (expected instanceof RegExp) expect(text).toMatch(expected);
  else if (how === 'is') expect(text.trim()).toBe(expected);
  else expect(text).toContain(expected);
}

async function seeCount(locator: Locator, expected: number): Promise<void> {
  let count = -1;
  for (
    const started = Date.now();
    Date.now() - started < 10_000 && count !== expected;
    await new Promise((r) => setTimeout(r, 100))
  ) {
    count = await locator.count();
  }
  expect(count).toBe(expected);
}
