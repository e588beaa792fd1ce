import { ApiError } from '../api-client';
import type { ConsoleRoutes, PageContext } from '../console.router';
import { fromLocalInput, localInput } from '../format';
import { provinces, referenceList, zoneOf } from '../reference-cache';
import { formList, formText, queryText, type FormValue } from '../form-values';
import { renderView } from '../views';

type Form = Record<string, FormValue>;

/** The API's field names as the form's labels, for the summary of what to correct. */
export const FIELD_LABELS: Record<string, string> = {
  receivedAt: 'Waktu diterima',
  channel: 'Saluran',
  submission: 'Jenis pengaduan',
  'complainant.name': 'Nama pengadu',
  'complainant.email': 'Email pengadu',
  'complainant.phone': 'Telepon pengadu',
  'complainant.address': 'Alamat pengadu',
  'complainant.identityNumber': 'NIK / nomor identitas',
  'locus.provinceCode': 'Provinsi',
  'locus.regency': 'Kabupaten/Kota',
  rights: 'Hak yang diduga dilanggar',
  theme: 'Tema',
  reportedParty: 'Pihak teradu',
  summary: 'Ringkasan pengaduan',
  unitCode: 'Unit',
};

async function formData(ctx: PageContext) {
  const [provinceList, rights, themes, channels, parties, zone] = await Promise.all([
    provinces(ctx.api),
    referenceList(ctx.api, 'hak'),
    referenceList(ctx.api, 'tema'),
    referenceList(ctx.api, 'saluran'),
    referenceList(ctx.api, 'pihak-teradu'),
    zoneOf(ctx.api, ctx.user.unitCode),
  ]);
  const active = <T extends { active?: boolean }>(items: T[]) => items.filter((i) => i.active !== false);
  return {
    provinces: provinceList,
    rights: active(rights),
    themes: active(themes),
    channels: active(channels),
    parties: active(parties),
    zone,
  };
}

/** The form's fields as the API's registration body; empty optional fields are left out. */
export function registrationBody(form: Form, unitCode: string, zone: string) {
  const optional = (value: string) => (value === '' ? undefined : value);
  return {
    unitCode,
    receivedAt: fromLocalInput(formText(form.receivedAt), zone) ?? formText(form.receivedAt),
    channel: formText(form.channel),
    submission: formText(form.submission),
    complainant: {
      name: formText(form.name),
      email: optional(formText(form.email)),
      phone: optional(formText(form.phone)),
      address: optional(formText(form.address)),
      identityNumber: optional(formText(form.identityNumber)),
      confidential: form.confidential === 'ya',
    },
    locus: { provinceCode: formText(form.provinceCode), regency: optional(formText(form.regency)) },
    rights: formList(form.rights),
    theme: formText(form.theme),
    reportedParty: formText(form.reportedParty),
    summary: formText(form.summary),
  };
}

export function registerRegisterPages(routes: ConsoleRoutes, publicUrl: string): void {
  routes.page('get', '/pengaduan/baru', async (ctx) => {
    const data = await formData(ctx);
    ctx.render('register', {
      title: 'Pengaduan baru',
      ...data,
      form: { receivedAt: localInput(new Date(), data.zone), submission: 'LANGSUNG' },
      errors: {},
    });
  });

  routes.page('post', '/pengaduan/baru', async (ctx) => {
    const data = await formData(ctx);
    const form = ctx.req.body as Form;
    try {
      const created = await ctx.api.post<{
        id: string;
        receipt: { registerNumber: string; trackingCode: string; text: string };
      }>('/cases', registrationBody(form, ctx.user.unitCode, data.zone));
      // The tracking code is shown once, here: the database keeps only its hash.
      ctx.render(
        'receipt',
        {
          title: 'Tanda terima',
          caseId: created.id,
          receipt: created.receipt,
          statusPage: `${publicUrl.replace(/\/$/, '')}/status`,
        },
        201,
      );
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      const errors = error.byField();
      ctx.render(
        'register',
        {
          title: 'Pengaduan baru',
          ...data,
          form: { ...form, rights: formList(form.rights) },
          errors,
          labels: FIELD_LABELS,
          message: error.message,
        },
        400,
      );
    }
  });

  /** htmx: the regency suggestions for the chosen province. */
  routes.page('get', '/wilayah/kabupaten', async ({ api, req, res }) => {
    const province = queryText(req.query, 'provinceCode');
    const names = province
      ? await api.get<string[]>(`/provinces/${encodeURIComponent(province)}/regencies`)
      : [];
    res.type('html').send(renderView('_regency-options', { names }));
  });
}
