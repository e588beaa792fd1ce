import { ApiError } from '../api-client';
import type { ConsoleRoutes, PageContext } from '../console.router';
import { fromLocalInput, localInput } from '../format';
import { provinces, referenceList, zoneOf } from '../reference-cache';
import { formList, formText, queryText, type FormValue } from '../form-values';
import { renderView } from '../views';
import { officeHeading } from './print.pages';
import { HANDLING_ROLES, holdsAny } from '../../common/access-policy';
import { newId } from '../../common/ids';

type Form = Record<string, FormValue>;

interface RelatedCase {
  id: string;
  registerNumber: string;
  receivedAt: string;
  stateName: string;
  summary: string;
}

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

export interface ReceiptShown {
  registerNumber: string;
  trackingCode: string;
  receivedAt: string;
}

/** What the printed receipt shows: the office heading it, the status page's address, the officer. */
export async function receiptSheet(
  ctx: PageContext,
  receipt: ReceiptShown,
  unitCode: string,
  publicUrl: string,
) {
  const [office, zone, me] = await Promise.all([
    officeHeading(ctx.api, unitCode),
    zoneOf(ctx.api, unitCode),
    ctx.api.get<{ fullName: string }>('/users/me'),
  ]);
  return {
    receipt,
    office,
    zone,
    officer: me.fullName,
    statusPage: `${publicUrl.replace(/\/$/, '')}/status`,
  };
}

export function registerRegisterPages(routes: ConsoleRoutes, publicUrl: string): void {
  routes.page('get', '/pengaduan/baru', async (ctx) => {
    const data = await formData(ctx);
    ctx.render('register', {
      title: 'Pengaduan baru',
      ...data,
      // One key per form: a reload, a back or a double click sends it again, and the API answers
      // the case it first registered instead of a second one.
      form: { receivedAt: localInput(new Date(), data.zone), submission: 'LANGSUNG', kunci: newId() },
      errors: {},
    });
  });

  routes.page('post', '/pengaduan/baru', async (ctx) => {
    const data = await formData(ctx);
    const form = ctx.req.body as Form;
    const key = formText(form.kunci) || newId();
    try {
      const created = await ctx.api.post<{ id: string; receipt: ReceiptShown }>(
        '/cases',
        registrationBody(form, ctx.user.unitCode, data.zone),
        { 'idempotency-key': key },
      );
      // The tracking code is shown here, and again only to a repeat of this same form.
      ctx.render('receipt', {
        title: 'Tanda terima',
        caseId: created.id,
        ...(await receiptSheet(ctx, created.receipt, ctx.user.unitCode, publicUrl)),
      });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      const errors = error.byField();
      ctx.render(
        'register',
        {
          title: 'Pengaduan baru',
          ...data,
          form: { ...form, rights: formList(form.rights), kunci: key },
          errors,
          labels: FIELD_LABELS,
          message: error.message,
        },
        400,
      );
    }
  });

  /**
   * htmx: earlier complaints beside the form, as the desk types: of a complainant of the same name
   * (the handling roles only, each search audited by the API as a reveal), and of the same locus and
   * theme in the past year. A POST, so the name stays out of addresses and access logs.
   */
  routes.page('post', '/pengaduan/serupa', async ({ api, req, res, user }) => {
    const form = req.body as Form;
    const name = formText(form.name);
    const provinceCode = formText(form.provinceCode);
    const theme = formText(form.theme);
    const regency = formText(form.regency);
    const since = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const none = { items: [] as RelatedCase[] };
    const [byName, byLocus] = await Promise.all([
      name.length >= 3 && holdsAny(user.roles, HANDLING_ROLES)
        ? api.get<{ items: RelatedCase[] }>('/cases', { complainant: name, pageSize: 5, sort: '-receivedAt' })
        : none,
      provinceCode && theme
        ? api.get<{ items: RelatedCase[] }>('/cases', {
            provinceCode,
            theme,
            regency: regency || undefined,
            receivedFrom: since,
            pageSize: 5,
            sort: '-receivedAt',
          })
        : none,
    ]);
    res.type('html').send(
      renderView('_related-cases', {
        byName: byName.items,
        byLocus: byLocus.items.filter((c) => !byName.items.some((n) => n.id === c.id)),
        asked: { name: name.length >= 3, locus: Boolean(provinceCode && theme) },
        zone: await zoneOf(api, user.unitCode),
      }),
    );
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
