/**
 * The letters and forms that leave the office, in a real browser: the signed letter uploaded and
 * sent with KIRIM_SURAT reaching the institution's mailbox (a real SMTP server), the complainant
 * sending missing documents from the status page, the printed notice for a complainant without
 * email with the day the case withdraws itself, a paused step with its days left and who resumes
 * it, and a letter template's preview.
 */
import type { Browser, Page } from 'playwright-core';
import { SchedulerService } from '../src/sla/scheduler.service';
import { eventSender, unitActors, type UnitActors } from './support/actors';
import { launchBrowser, listen, screenshot } from './support/browser';
import { TestSmtpServer } from './support/smtp';
import { ADMIN_PASSWORD, complaint, createTestApp, PASSWORD, type TestApp } from './support/test-app';

jest.setTimeout(180_000);

describe('web console: letters that go out', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let base: string;
  let browser: Browser;
  let ss: UnitActors;
  let send: ReturnType<typeof eventSender>;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await createTestApp({
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'kanwil-sumsel@kemenkumham.example.id' },
    });
    base = await listen(t);
    browser = await launchBrowser();
    ss = await unitActors(t, 'KANWIL-SS', 'surat');
    send = eventSender(t);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  async function as(username: string, password = PASSWORD): Promise<Page> {
    const context = await browser.newContext({ locale: 'id-ID', viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${base}/masuk`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/masuk'));
    return page;
  }

  const register = async (overrides: Record<string, unknown> = {}) =>
    (
      await t
        .http()
        .post('/api/cases')
        .set('Authorization', `Bearer ${ss.petugas}`)
        .send(complaint({ receivedAt: new Date().toISOString(), ...overrides }))
        .expect(201)
    ).body as { id: string; registerNumber: string; receipt: { trackingCode: string } };

  it("sends the signed letter with KIRIM_SURAT to the institution's mailbox", async () => {
    await t
      .http()
      .post('/api/institutions')
      .set('Authorization', `Bearer ${ss.petugas}`)
      .send({
        name: 'Badan Pertanahan Kota Palembang',
        email: 'tu@bpn-palembang.example.id',
        type: 'PEMERINTAH_DAERAH',
        provinceCode: 'ID-SS',
      })
      .expect(201);
    const c = await register({ complainant: { name: 'Nama Pengadu Rahasia', confidential: true } });
    for (const [who, type] of [
      ['petugas', 'DISPOSISI'],
      ['kakanwil', 'DISPOSISI'],
      ['kadiv', 'DISPOSISI'],
      ['kabid', 'REKOMENDASI_SEGERA'],
      ['petugas', 'AJUKAN_SURAT'],
      ['kakanwil', 'SETUJUI_SURAT'],
    ] as const)
      await send(ss[who], c.id, { type });

    const page = await as('surat.petugas');
    await page.goto(`${base}/kasus/${c.id}`);
    // The form says there is no PDF yet and where to put it.
    const form = page.locator('section.actions details', {
      has: page.locator('summary', { hasText: 'Kirim surat rekomendasi' }),
    });
    await form.locator('summary').click();
    expect(await form.textContent()).toContain('Belum ada lampiran PDF pada kasus ini');
    const pdf = Buffer.from('%PDF-1.4\n% Surat rekomendasi W6.HAM.04-321 bertanda tangan\n%%EOF\n');
    await page.setInputFiles('#lampiran-file', {
      name: 'W6.HAM.04-321.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await page.fill('#lampiran-description', 'Surat rekomendasi bertanda tangan');
    await page.getByRole('button', { name: 'Unggah lampiran' }).click();
    await page.locator('#lampiran a', { hasText: 'W6.HAM.04-321.pdf' }).waitFor();

    await form.locator('summary').click();
    await form.getByLabel('Nomor surat').fill('W6.HAM.04-321');
    await form.getByLabel('Instansi tujuan').selectOption({ label: 'Badan Pertanahan Kota Palembang' });
    await form.getByLabel('Surat bertanda tangan (PDF) (tidak wajib)').selectOption({ index: 1 });
    await form.getByRole('button', { name: 'Kirim surat rekomendasi' }).click();
    await page.waitForURL(/ok=KIRIM_SURAT/);

    await t.app.get(SchedulerService).tick();
    const mail = smtp.received.find((m) => m.to.includes('tu@bpn-palembang.example.id'));
    expect(mail?.subject).toBe(`Surat rekomendasi W6.HAM.04-321 atas pengaduan ${c.registerNumber}`);
    expect(mail!.raw).toContain('W6.HAM.04-321.pdf');
    expect(mail!.raw.replace(/\r?\n/g, '')).toContain(pdf.toString('base64'));
    expect(mail!.raw).not.toContain('Nama Pengadu Rahasia');

    await page.reload();
    const letters = page.locator('section[aria-labelledby="h-surat"]');
    expect(await letters.textContent()).toMatch(/W6\.HAM\.04-321\.pdf[\s\S]*surel: Terkirim/);
    await screenshot(page, 'surat-terkirim');
  });

  it('takes the missing documents from the complainant on the status page and shows them on the case', async () => {
    const c = await register();
    await send(ss.petugas, c.id, { type: 'BERKAS_TIDAK_LENGKAP', kekurangan: 'Fotokopi KTP' });
    const context = await browser.newContext({ locale: 'id-ID', viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    await phone.goto(`${base}/status`);
    await phone.fill('#registerNumber', c.registerNumber.toLowerCase());
    await phone.fill('#trackingCode', c.receipt.trackingCode);
    await phone.getByRole('button', { name: 'Lihat status' }).click();
    await phone.getByRole('heading', { name: 'Kirim kelengkapan berkas' }).waitFor();
    await phone.setInputFiles('#kelengkapan-file', {
      name: 'ktp.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('foto ktp')]),
    });
    await phone.fill('#kelengkapan-keterangan', 'Fotokopi KTP');
    await phone.getByRole('button', { name: 'Kirim berkas' }).click();
    await phone.getByText('Berkas "ktp.jpg" untuk pengaduan').waitFor();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // A file that is not what it claims is refused with the reason.
    await phone.goto(`${base}/status`);
    await phone.fill('#registerNumber', c.registerNumber);
    await phone.fill('#trackingCode', c.receipt.trackingCode);
    await phone.getByRole('button', { name: 'Lihat status' }).click();
    await phone.setInputFiles('#kelengkapan-file', {
      name: 'ktp.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('<html>bukan pdf</html>'),
    });
    await phone.getByRole('button', { name: 'Kirim berkas' }).click();
    await phone.getByText('hanya berkas PDF, JPG atau PNG').waitFor();
    await context.close();

    const desk = await as('surat.petugas');
    await desk.goto(`${base}/kasus/${c.id}`);
    const timeline = await desk.locator('.timeline').first().textContent();
    expect(timeline).toMatch(/Kelengkapan berkas dikirim pengadu[\s\S]*ktp\.jpg/);
    await desk.goto(`${base}/notifikasi`);
    expect(await desk.locator('main').textContent()).toContain(
      `Pengadu mengirim kelengkapan berkas: ${c.registerNumber}`,
    );
  });

  it('prints the notice for a complainant without email and says when the case is deemed withdrawn', async () => {
    const c = await register({
      complainant: { name: 'Sumarni binti Ahmad', address: 'Desa Tanjung Raja, Ogan Ilir' },
    });
    await send(ss.petugas, c.id, { type: 'BERKAS_TIDAK_LENGKAP', kekurangan: 'Surat keterangan domisili' });
    const page = await as('surat.petugas');
    await page.goto(`${base}/kasus/${c.id}`);
    const deadline = page.locator('section[aria-labelledby="h-tenggat"]');
    expect(await deadline.textContent()).toMatch(/dianggap dicabut pada \d{1,2} \w+ \d{4}/);
    expect(await deadline.textContent()).toContain('Pengadu tidak memiliki surel');
    await deadline.getByRole('link', { name: 'Cetak surat pemberitahuan kepada pengadu' }).click();
    await page.waitForURL(/surat-pengadu/);
    const sheet = (await page.locator('article.sheet').textContent()) ?? '';
    expect(sheet).toContain('Sumarni binti Ahmad');
    expect(sheet).toContain('Desa Tanjung Raja, Ogan Ilir');
    expect(sheet).toContain('Surat keterangan domisili');
    expect(sheet).toContain('dianggap dicabut');
    expect(sheet).toContain(c.registerNumber);
    await page.emulateMedia({ media: null });
    const printed = await page.pdf({ format: 'A4' });
    expect(printed.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('shows a paused step with the working days left and who may resume it', async () => {
    const c = await register();
    await send(ss.petugas, c.id, { type: 'DISPOSISI' });
    await send(ss.kakanwil, c.id, { type: 'DISPOSISI' });
    await send(ss.kadiv, c.id, { type: 'DISPOSISI' });
    await send(ss.kabid, c.id, { type: 'TELAAH' });
    await send(ss.kasubbid, c.id, { type: 'TUNDA', reason: 'menunggu dokumen dari pengadu' });
    const page = await as('surat.kasubbid');
    await page.goto(`${base}/kasus/${c.id}`);
    const deadline = (await page.locator('section[aria-labelledby="h-tenggat"]').textContent()) ?? '';
    expect(deadline).toMatch(/Ditunda\s+sisa \d+ hari kerja/);
    expect(deadline).toMatch(/Dapat dilanjutkan oleh Petugas, Kasubbid, Kabid HAM[\s\S]*"Lanjutkan"/);
  });

  it('previews a letter template with sample values', async () => {
    const admin = await as('admin', ADMIN_PASSWORD);
    await admin.goto(`${base}/admin/templat-surat`);
    const cover = admin.locator('section#PENGANTAR_SURAT');
    await cover.getByRole('heading', { name: 'Pengantar surat rekomendasi' }).waitFor();
    await cover.getByRole('button', { name: 'Pratinjau dengan contoh isian' }).click();
    const preview = admin.locator('section#PENGANTAR_SURAT figure.letter-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('Kepada Yth.\nPimpinan Kepolisian Daerah Contoh');
  });

  it('answers an unknown address in Indonesian, and offers an institution type from the list, errors beside their fields', async () => {
    const page = await as('surat.petugas');
    const missing = await page.goto(`${base}/halaman-yang-tidak-ada`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('main').textContent()).toContain('Halaman yang Anda cari tidak ada');
    const api = await t.http().get('/api/tidak-ada').expect(404);
    expect(api.body.message).toBe('Alamat tidak dikenal: GET /api/tidak-ada');

    const admin = await as('admin', ADMIN_PASSWORD);
    await admin.goto(`${base}/admin/instansi`);
    await admin.fill('#name', 'Dinas Sosial Kota Palembang');
    await admin.fill('#email', 'bukan-alamat');
    await admin.locator('#email').evaluate((input) => input.setAttribute('type', 'text'));
    await admin.selectOption('#type', { label: 'Pemerintah daerah' });
    await admin.getByRole('button', { name: 'Tambah instansi' }).click();
    const beside = admin.locator('#email ~ .field-error');
    await beside.waitFor();
    expect(await admin.locator('.errors').textContent()).toMatch(/Email: /);
    expect(await admin.locator('.errors').textContent()).not.toMatch(/\bemail: /);
    await admin.fill('#email', 'dinsos@palembang.example.id');
    await admin.getByRole('button', { name: 'Tambah instansi' }).click();
    await admin.waitForURL(/ok=1/);
    const row = admin.locator('tr', { hasText: 'Dinas Sosial Kota Palembang' });
    expect(await row.textContent()).toContain('Pemerintah daerah');
  });

  it('keeps the header on one line at 1366 px for the longest menu, and the login page links the status page', async () => {
    await t.user('surat.kepala.bidang.hak.asasi', 'KANWIL-SS', ['PETUGAS', 'KABID']);
    const page = await as('surat.kepala.bidang.hak.asasi');
    await page.goto(`${base}/antrean`);
    const menu = await page.locator('.top nav li').count();
    expect(menu).toBe(5);
    const header = await page.locator('header.top').boundingBox();
    await screenshot(page, 'kepala-header');
    expect(header!.height).toBeLessThanOrEqual(64);
    const context = await browser.newContext({ locale: 'id-ID' });
    const login = await context.newPage();
    await login.goto(`${base}/masuk`);
    await login.getByRole('link', { name: 'halaman status pengaduan' }).click();
    await login.waitForURL(/\/status$/);
    await context.close();
  });
});
