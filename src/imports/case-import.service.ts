import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { KATEGORI, WorkflowRegistry, type Kategori } from '../../workflows';
import type { AuthUser } from '../common/auth.decorators';
import { ForbiddenActionError } from '../common/errors';
import { CalendarService } from '../calendars/calendar.service';
import { nameKey } from '../institutions/institutions.controller';
import { RESPONSE_DAYS } from '../reminders/reminder.service';
import { addWorkingDays } from '../sla/working-time';
import type { SheetRow } from './table-reader';

export const IMPORT_COLUMNS = [
  'nomor_register', 'unit', 'tanggal_diterima', 'provinsi', 'kabupaten_kota', 'hak', 'tema', 'pihak_teradu', 'saluran',
  'jenis', 'ringkasan', 'hasil', 'tanggal_hasil', 'nomor_surat', 'tanggal_surat', 'institusi', 'tanggal_tanggapan',
] as const;
const REQUIRED = ['nomor_register', 'unit', 'tanggal_diterima', 'provinsi', 'hak', 'tema', 'pihak_teradu', 'saluran', 'ringkasan', 'hasil'] as const;

export interface RowReport {
  row: number;
  registerNumber: string | null;
  status: 'DIBUAT' | 'AKAN_DIBUAT' | 'DILEWATI' | 'DITOLAK';
  problems: { field: string; reason: string }[];
  caseId?: string;
}

interface Reference {
  units: Map<string, string>;
  provinces: Set<string>;
  codes: Map<string, Set<string>>;
  institutions: Map<string, string>;
}

interface PlannedCase {
  row: number;
  register: string;
  unit: string;
  zone: string;
  receivedAt: Date;
  province: string;
  regency: string | null;
  rights: string[];
  theme: string;
  party: string;
  channel: string;
  submission: 'LANGSUNG' | 'TEMBUSAN';
  summary: string;
  outcome: Kategori;
  outcomeAt: Date | null;
  letter: { number: string; at: Date; institutions: string[]; responses: (Date | null)[] } | null;
}

/**
 * Historical complaints from the offices' spreadsheets. Every row is validated and answered with
 * what was refused and why; a dry run stops there. Cases are created with a history marked as
 * imported (the decision, the letter, each response, on their own dates), so that the recap and
 * the indicator count them like any other case; the register number makes the import idempotent.
 * Imported letters get no reminders: they are history, not a new demand on the institution.
 */
@Injectable()
export class CaseImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: WorkflowRegistry,
    private readonly calendar: CalendarService,
  ) {}

  async import(user: AuthUser, headers: string[], rows: SheetRow[], dryRun: boolean) {
    const missingColumns = REQUIRED.filter((c) => !headers.includes(c));
    if (missingColumns.length) {
      return { dryRun, columns: IMPORT_COLUMNS, summary: { rows: rows.length, created: 0, skipped: 0, refused: rows.length }, missingColumns, rows: [] };
    }
    const reference = await this.reference();
    const existing = new Set<string>(
      (await this.dataSource.query('SELECT register_number FROM cases WHERE register_number = ANY($1::text[])', [rows.map((r) => r.nomor_register)])).map(
        (r: { register_number: string }) => r.register_number,
      ),
    );
    const reports: RowReport[] = [];
    const seen = new Set<string>();
    for (const [index, raw] of rows.entries()) {
      const rowNumber = index + 2; // the header is row 1, as the spreadsheet shows it
      const { plan, problems } = this.validate(raw, rowNumber, reference, user);
      const register = raw.nomor_register || null;
      if (register && (existing.has(register) || seen.has(register))) {
        reports.push({ row: rowNumber, registerNumber: register, status: 'DILEWATI', problems: [{ field: 'nomor_register', reason: 'sudah ada; baris dilewati' }] });
        continue;
      }
      if (!plan) {
        reports.push({ row: rowNumber, registerNumber: register, status: 'DITOLAK', problems });
        continue;
      }
      seen.add(plan.register);
      if (dryRun) {
        reports.push({ row: rowNumber, registerNumber: plan.register, status: 'AKAN_DIBUAT', problems: [] });
        continue;
      }
      const caseId = await this.dataSource.transaction((em) => this.create(em, user, plan));
      reports.push({ row: rowNumber, registerNumber: plan.register, status: caseId ? 'DIBUAT' : 'DILEWATI', problems: caseId ? [] : [{ field: 'nomor_register', reason: 'sudah ada; baris dilewati' }], ...(caseId ? { caseId } : {}) });
    }
    const count = (s: RowReport['status']) => reports.filter((r) => r.status === s).length;
    return {
      dryRun,
      columns: IMPORT_COLUMNS,
      summary: { rows: rows.length, created: count(dryRun ? 'AKAN_DIBUAT' : 'DIBUAT'), skipped: count('DILEWATI'), refused: count('DITOLAK') },
      rows: reports,
    };
  }

  private async reference(): Promise<Reference> {
    const units = new Map<string, string>((await this.dataSource.query('SELECT code, time_zone FROM units')).map((u: { code: string; time_zone: string }) => [u.code, u.time_zone]));
    const provinces = new Set<string>((await this.dataSource.query('SELECT code FROM provinces')).map((p: { code: string }) => p.code));
    const codes = new Map<string, Set<string>>();
    for (const r of await this.dataSource.query('SELECT kind, code FROM reference_items WHERE active')) {
      if (!codes.has(r.kind)) codes.set(r.kind, new Set());
      codes.get(r.kind)!.add(r.code);
    }
    const institutions = new Map<string, string>((await this.dataSource.query('SELECT id, name_key FROM institutions')).map((i: { id: string; name_key: string }) => [i.name_key, i.id]));
    return { units, provinces, codes, institutions };
  }

  private validate(r: SheetRow, row: number, ref: Reference, user: AuthUser): { plan: PlannedCase | null; problems: { field: string; reason: string }[] } {
    const problems: { field: string; reason: string }[] = [];
    const problem = (field: string, reason: string) => problems.push({ field, reason });
    for (const c of REQUIRED) if (!r[c]) problem(c, 'wajib diisi');
    const zone = ref.units.get(r.unit);
    if (r.unit && !zone) problem('unit', `unit "${r.unit}" tidak dikenal`);
    if (r.unit && zone && !user.roles.includes('ADMIN') && r.unit !== user.unitCode) problem('unit', 'hanya unit Anda sendiri');
    const date = (field: string, optional = true): Date | null => {
      const value = r[field];
      if (!value) return optional ? null : null;
      const parsed = DateTime.fromISO(value, { zone: zone ?? 'Asia/Jakarta' });
      const alt = parsed.isValid ? parsed : DateTime.fromFormat(value, 'd/M/yyyy', { zone: zone ?? 'Asia/Jakarta' });
      if (!alt.isValid) {
        problem(field, 'bukan tanggal yang valid (YYYY-MM-DD atau DD/MM/YYYY)');
        return null;
      }
      return alt.set({ hour: 9 }).toJSDate();
    };
    const receivedAt = date('tanggal_diterima');
    if (receivedAt && receivedAt > new Date()) problem('tanggal_diterima', 'tidak boleh di masa depan');
    if (r.provinsi && !ref.provinces.has(r.provinsi)) problem('provinsi', `kode provinsi "${r.provinsi}" tidak dikenal`);
    const rights = (r.hak ?? '').split(/[;,]/).map((x) => x.trim()).filter(Boolean);
    for (const right of rights) if (!ref.codes.get('HAK')?.has(right)) problem('hak', `kode hak "${right}" tidak dikenal`);
    const known = (field: string, kind: string) => r[field] && !ref.codes.get(kind)?.has(r[field]) && problem(field, `kode "${r[field]}" tidak dikenal`);
    known('tema', 'TEMA');
    known('pihak_teradu', 'PIHAK_TERADU');
    known('saluran', 'SALURAN');
    const submission = (r.jenis || 'LANGSUNG').toUpperCase();
    if (!['LANGSUNG', 'TEMBUSAN'].includes(submission)) problem('jenis', 'harus LANGSUNG atau TEMBUSAN');
    const outcome = (r.hasil ?? '').toUpperCase() as Kategori;
    if (r.hasil && !KATEGORI.includes(outcome)) problem('hasil', `harus salah satu dari: ${KATEGORI.join(', ')}`);
    const outcomeAt = date('tanggal_hasil');
    if (outcome && outcome !== 'PROSES' && KATEGORI.includes(outcome) && !r.tanggal_hasil) problem('tanggal_hasil', 'wajib diisi bila hasil bukan PROSES');
    if (outcomeAt && receivedAt && outcomeAt < receivedAt) problem('tanggal_hasil', 'tidak boleh sebelum tanggal_diterima');
    let letter: PlannedCase['letter'] = null;
    if (r.nomor_surat || r.tanggal_surat || r.institusi) {
      if (!['TELAAH_REKOMENDASI', 'REKOMENDASI'].includes(outcome)) problem('nomor_surat', 'surat rekomendasi hanya untuk hasil TELAAH_REKOMENDASI atau REKOMENDASI');
      const at = date('tanggal_surat');
      if (!r.nomor_surat) problem('nomor_surat', 'wajib diisi bila ada surat');
      if (!r.tanggal_surat) problem('tanggal_surat', 'wajib diisi bila ada surat');
      if (at && outcomeAt && at < outcomeAt) problem('tanggal_surat', 'tidak boleh sebelum tanggal_hasil');
      const names = (r.institusi ?? '').split(';').map((x) => x.trim()).filter(Boolean);
      if (names.length === 0) problem('institusi', 'wajib diisi bila ada surat');
      const institutions = names.map((n) => {
        const id = ref.institutions.get(nameKey(n));
        if (!id) problem('institusi', `institusi "${n}" belum terdaftar`);
        return id ?? '';
      });
      const responseCells = (r.tanggal_tanggapan ?? '').split(';').map((x) => x.trim());
      if (r.tanggal_tanggapan && responseCells.length > names.length) problem('tanggal_tanggapan', 'lebih banyak tanggal daripada institusi');
      const responses = names.map((_, i) => {
        const value = responseCells[i];
        if (!value) return null;
        const parsed = DateTime.fromISO(value, { zone: zone ?? 'Asia/Jakarta' });
        if (!parsed.isValid) {
          problem('tanggal_tanggapan', `"${value}" bukan tanggal yang valid`);
          return null;
        }
        const d = parsed.set({ hour: 9 }).toJSDate();
        if (at && d < at) problem('tanggal_tanggapan', 'tidak boleh sebelum tanggal_surat');
        return d;
      });
      if (at) letter = { number: r.nomor_surat, at, institutions, responses };
    } else if (r.tanggal_tanggapan) problem('tanggal_tanggapan', 'tanggapan tanpa surat');
    if (problems.length || !zone || !receivedAt) return { plan: null, problems };
    return {
      problems,
      plan: {
        row, register: r.nomor_register, unit: r.unit, zone, receivedAt, province: r.provinsi, regency: r.kabupaten_kota || null, rights,
        theme: r.tema, party: r.pihak_teradu, channel: r.saluran, submission: submission as 'LANGSUNG' | 'TEMBUSAN', summary: r.ringkasan,
        outcome, outcomeAt, letter,
      },
    };
  }

  /** The case, its imported history and its dispatches; null when the number was taken meanwhile. */
  private async create(em: EntityManager, user: AuthUser, p: PlannedCase): Promise<string | null> {
    const definition = this.registry.current('pengaduan');
    const id = randomUUID();
    const responded = p.letter ? p.letter.institutions.filter((_, i) => p.letter!.responses[i]) : [];
    const waiting = p.letter ? p.letter.institutions.filter((_, i) => !p.letter!.responses[i]) : [];
    const jalur = p.outcome === 'PROSES' ? null : p.outcome;
    let stateValue: unknown = { terima: 'pemeriksaan' };
    if (p.outcome === 'FILE' || p.outcome === 'TELAAH_FILE') stateValue = 'file';
    else if (jalur) stateValue = !p.letter ? { rekomendasi: 'penyusunan' } : waiting.length === 0 ? 'selesai' : 'menunggu_tanggapan';
    const state = typeof stateValue === 'string' ? stateValue : `${Object.keys(stateValue as object)[0]}.${Object.values(stateValue as object)[0]}`;
    const context = {
      jalur, alasanFile: p.outcome === 'FILE' ? 'IMPOR: diarsipkan' : p.outcome === 'TELAAH_FILE' ? 'TELAAH: kesimpulan FILE' : null,
      ditunda: false, audiensi: false, menunggu: waiting, ditanggapi: responded,
      tanggapanPutaranIni: responded.length, putaranSurat: p.letter ? 1 : 0, pelimpahan: 0,
    };
    // The history, in order: registration, the decision, the letter, each response.
    const events: { type: string; at: Date; to: string; category: string; payload: object }[] = [
      { type: 'REGISTRASI', at: p.receivedAt, to: 'terima.pemeriksaan', category: 'PROSES', payload: { imported: true, row: p.row } },
    ];
    if (jalur) {
      const type = p.outcome === 'FILE' ? 'FILE' : p.outcome === 'REKOMENDASI' ? 'REKOMENDASI_SEGERA' : 'SETUJUI_TELAAH';
      const payload = type === 'SETUJUI_TELAAH' ? { kesimpulan: p.outcome === 'TELAAH_FILE' ? 'FILE' : 'REKOMENDASI', audiensi: false } : type === 'FILE' ? { reason: 'impor' } : {};
      const to = p.outcome === 'FILE' || p.outcome === 'TELAAH_FILE' ? 'file' : 'rekomendasi.penyusunan';
      events.push({ type, at: p.outcomeAt!, to, category: p.outcome, payload: { imported: true, ...payload } });
    }
    if (p.letter) {
      events.push({ type: 'KIRIM_SURAT', at: p.letter.at, to: 'menunggu_tanggapan', category: p.outcome, payload: { imported: true, institutionIds: p.letter.institutions, letterNumber: p.letter.number } });
      const answers = p.letter.institutions.map((inst, i) => ({ inst, at: p.letter!.responses[i] })).filter((x) => x.at).sort((a, b) => a.at!.getTime() - b.at!.getTime());
      answers.forEach((x, i) => events.push({ type: 'TANGGAPAN', at: x.at!, to: i === answers.length - 1 && waiting.length === 0 ? 'selesai' : 'menunggu_tanggapan', category: p.outcome, payload: { imported: true, institutionId: x.inst } }));
    }
    const year = DateTime.fromJSDate(p.receivedAt, { zone: p.zone }).year;
    const inserted = await em.query(
      `INSERT INTO cases (id, register_number, register_year, register_seq, unit_code, workflow_id, workflow_version, state, state_value, context,
                          category, version, received_at, channel, submission, complainant, locus_province_code, locus_regency, rights, theme,
                          reported_party, summary, created_by, last_event_at, step_started_at, handler_id)
       VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, '{"name": "(impor: tidak tercatat)"}', $15, $16, $17, $18, $19, $20, $21, $22, $22, NULL)
       ON CONFLICT (register_number) DO NOTHING RETURNING id`,
      [id, p.register, year, p.unit, definition.id, definition.version, state, JSON.stringify(stateValue), JSON.stringify(context), p.outcome,
       events.length, p.receivedAt, p.channel, p.submission, p.province, p.regency, p.rights, p.theme, p.party, p.summary, user.id, events[events.length - 1].at],
    );
    if (inserted.length === 0) return null;
    let from: string | null = null;
    for (const [i, e] of events.entries()) {
      await em.query(
        `INSERT INTO case_events (case_id, seq, type, actor_id, actor_username, actor_roles, actor_unit_code, unit_code, occurred_at, from_state, to_state, to_category, workflow_version, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [id, i + 1, e.type, user.id, user.username, user.roles, user.unitCode, p.unit, e.at, from, e.to, e.category, definition.version, JSON.stringify(e.payload)],
      );
      from = e.to;
    }
    if (p.letter) {
      const dueAt = addWorkingDays(p.letter.at, RESPONSE_DAYS, p.zone, await this.calendar.daysOff(em)).dueAt;
      for (const [i, inst] of p.letter.institutions.entries()) {
        const answered = p.letter.responses[i];
        await em.query(
          `INSERT INTO dispatches (id, case_id, institution_id, round, unit_code, letter_number, sent_at, due_at, status, responded_at, next_reminder_check_at)
           VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, NULL)`,
          [randomUUID(), id, inst, p.unit, p.letter.number, p.letter.at, dueAt, answered ? 'DITANGGAPI' : 'MENUNGGU', answered],
        );
      }
    }
    return id;
  }

  assertMayImport(user: AuthUser): void {
    if (!user.roles.some((r) => ['ADMIN', 'KASUBBID', 'KABID'].includes(r))) throw new ForbiddenActionError('Impor data lama hanya untuk ADMIN, KASUBBID atau KABID');
  }
}
