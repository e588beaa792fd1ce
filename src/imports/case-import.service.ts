import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  decide,
  initialState,
  isClosed,
  kategoriOf,
  restore,
  statePath,
  stepMeta,
  WorkflowRegistry,
  type Kategori,
  type WorkflowDefinition,
} from '../../workflows';
import type { StateValue } from 'xstate';
import { deadlineColumns } from '../cases/case-view';
import { startDeadline, type StoredDeadline } from '../sla/deadline-policy';
import { UnitDirectory, type UnitClock } from '../units/unit-directory';
import type { AuthUser } from '../common/auth.decorators';
import { ForbiddenActionError } from '../common/errors';
import { CalendarService } from '../calendars/calendar.service';
import { CaseStore } from '../cases/case-store';
import { parseRegisterNumber } from '../cases/register-number';
import { nameKey } from '../institutions/institutions.service';
import { ReminderService, RESPONSE_DAYS } from '../reminders/reminder.service';
import { addWorkingDays, civilDayOf, isoOf, startOfCivilDay, type DaysOff } from '../sla/working-time';
import type { SheetRow } from './table-reader';
import { inTurns } from './in-turns';
import { holdsAny, IMPORTERS } from '../common/access-policy';
import { queryRows } from '../database/sql';
import { newId } from '../common/ids';

export const IMPORT_COLUMNS = [
  'nomor_register',
  'unit',
  'tanggal_diterima',
  'provinsi',
  'kabupaten_kota',
  'hak',
  'tema',
  'pihak_teradu',
  'saluran',
  'jenis',
  'ringkasan',
  'hasil',
  'tanggal_hasil',
  'nomor_surat',
  'tanggal_surat',
  'institusi',
  'tanggal_tanggapan',
] as const;
const DAY_MS = 86_400_000;

/**
 * 09:00 local time on a spreadsheet date (YYYY-MM-DD or D/M/YYYY) in the unit's zone; null when
 * it is not a real date. Plain arithmetic on civil days: a zone lookup per cell would dominate a
 * large import.
 */
export function morningOf(value: string, zone: string): Date | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const local = iso ? null : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (!iso && !local) return null;
  const [y, m, d] = iso ? [+iso[1], +iso[2], +iso[3]] : [+local![3], +local![2], +local![1]];
  const ms = Date.UTC(y, m - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return new Date(startOfCivilDay(ms / DAY_MS, zone).getTime() + 9 * 3_600_000);
}

/** Rows written per transaction: large enough to amortise the round trips and the commit, small enough to keep a transaction under a second. */
const BATCH_ROWS = 2000;
/**
 * Batches written at once, each in its own transaction: while one batch's statements run in
 * PostgreSQL, the next one's cases are replayed here (one at a time, the service waited on the
 * database for about two fifths of an import).
 */
const BATCHES_AT_ONCE = 2;

const REQUIRED = [
  'nomor_register',
  'unit',
  'tanggal_diterima',
  'provinsi',
  'hak',
  'tema',
  'pihak_teradu',
  'saluran',
  'ringkasan',
  'hasil',
] as const;

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
    private readonly store: CaseStore,
    private readonly reminders: ReminderService,
    private readonly units: UnitDirectory,
  ) {}

  async import(user: AuthUser, headers: string[], rows: SheetRow[], dryRun: boolean) {
    const missingColumns = REQUIRED.filter((c) => !headers.includes(c));
    if (missingColumns.length) {
      return {
        dryRun,
        columns: IMPORT_COLUMNS,
        summary: { rows: rows.length, created: 0, skipped: 0, refused: rows.length },
        missingColumns,
        rows: [],
      };
    }
    const reference = await this.reference();
    const existing = new Set<string>(
      (
        await queryRows<{ register_number: string }>(
          this.dataSource,
          'SELECT register_number FROM cases WHERE register_number = ANY($1::text[])',
          [rows.map((r) => r.nomor_register)],
        )
      ).map((r: { register_number: string }) => r.register_number),
    );
    const reports: RowReport[] = [];
    const planned: { plan: PlannedCase; report: RowReport }[] = [];
    const seen = new Set<string>();
    for (const [index, raw] of rows.entries()) {
      const rowNumber = index + 2; // the header is row 1, as the spreadsheet shows it
      const { plan, problems } = this.validate(raw, rowNumber, reference, user);
      const register = raw.nomor_register || null;
      // A refused row is refused before its number is looked up: a row naming another unit's
      // number learns nothing of that unit's cases.
      if (!plan) {
        reports.push({ row: rowNumber, registerNumber: register, status: 'DITOLAK', problems });
        continue;
      }
      if (register && (existing.has(register) || seen.has(register))) {
        reports.push({
          row: rowNumber,
          registerNumber: register,
          status: 'DILEWATI',
          problems: [{ field: 'nomor_register', reason: 'sudah ada; baris dilewati' }],
        });
        continue;
      }
      seen.add(plan.register);
      const report: RowReport = {
        row: rowNumber,
        registerNumber: plan.register,
        status: 'AKAN_DIBUAT',
        problems: [],
      };
      reports.push(report);
      planned.push({ plan, report });
    }
    if (!dryRun) {
      const batches: (typeof planned)[] = [];
      for (let start = 0; start < planned.length; start += BATCH_ROWS)
        batches.push(planned.slice(start, start + BATCH_ROWS));
      await inTurns(batches, BATCHES_AT_ONCE, async (batch) => {
        const created = await this.dataSource.transaction(async (em) => {
          // First, so that a configuration change in flight commits before deadlines are counted.
          await this.store.enterWrite(em);
          // The calendar and the units' clocks once per batch, as this transaction sees them.
          return this.createBatch(
            em,
            user,
            batch.map((b) => b.plan),
            await this.calendar.daysOff(em),
            await this.units.read(em),
          );
        });
        for (const { plan, report } of batch) {
          const caseId = created.get(plan.register);
          if (caseId) Object.assign(report, { status: 'DIBUAT', caseId });
          else
            Object.assign(report, {
              status: 'DILEWATI',
              problems: [{ field: 'nomor_register', reason: 'sudah ada; baris dilewati' }],
            });
        }
      });
    }
    const count = (s: RowReport['status']) => reports.filter((r) => r.status === s).length;
    return {
      dryRun,
      columns: IMPORT_COLUMNS,
      summary: {
        rows: rows.length,
        created: count(dryRun ? 'AKAN_DIBUAT' : 'DIBUAT'),
        skipped: count('DILEWATI'),
        refused: count('DITOLAK'),
      },
      rows: reports,
    };
  }

  private async reference(): Promise<Reference> {
    const units = new Map<string, string>(
      (
        await queryRows<{ code: string; time_zone: string }>(
          this.dataSource,
          'SELECT code, time_zone FROM units',
        )
      ).map((u: { code: string; time_zone: string }) => [u.code, u.time_zone]),
    );
    const provinces = new Set<string>(
      (await queryRows<{ code: string }>(this.dataSource, 'SELECT code FROM provinces')).map((p) => p.code),
    );
    const codes = new Map<string, Set<string>>();
    for (const r of await queryRows<{ kind: string; code: string }>(
      this.dataSource,
      'SELECT kind, code FROM reference_items WHERE active',
    )) {
      if (!codes.has(r.kind)) codes.set(r.kind, new Set());
      codes.get(r.kind)!.add(r.code);
    }
    const institutions = new Map<string, string>(
      (
        await queryRows<{ id: string; name_key: string }>(
          this.dataSource,
          'SELECT id, name_key FROM institutions',
        )
      ).map((i: { id: string; name_key: string }) => [i.name_key, i.id]),
    );
    return { units, provinces, codes, institutions };
  }

  private validate(
    r: SheetRow,
    row: number,
    ref: Reference,
    user: AuthUser,
  ): { plan: PlannedCase | null; problems: { field: string; reason: string }[] } {
    const problems: { field: string; reason: string }[] = [];
    const problem = (field: string, reason: string) => problems.push({ field, reason });
    for (const c of REQUIRED) if (!r[c]) problem(c, 'wajib diisi');
    const zone = ref.units.get(r.unit);
    if (r.unit && !zone) problem('unit', `unit "${r.unit}" tidak dikenal`);
    if (r.unit && zone && !user.roles.includes('ADMIN') && r.unit !== user.unitCode)
      problem('unit', 'hanya unit Anda sendiri');
    // A number in the service's own format belongs to the unit it names: a row can never take
    // another unit's numbers (which would block that unit's registrations).
    const issued = r.nomor_register ? parseRegisterNumber(r.nomor_register) : null;
    if (issued && r.unit && issued.unitCode !== r.unit)
      problem(
        'nomor_register',
        `nomor register berformat sistem harus milik unit baris ini (${r.unit}/TAHUN/NOMOR)`,
      );
    const date = (field: string, optional = true): Date | null => {
      const value = r[field];
      if (!value) return optional ? null : null;
      const parsed = morningOf(value, zone ?? 'Asia/Jakarta');
      if (!parsed) problem(field, 'bukan tanggal yang valid (YYYY-MM-DD atau DD/MM/YYYY)');
      return parsed;
    };
    const receivedAt = date('tanggal_diterima');
    if (receivedAt && receivedAt > new Date()) problem('tanggal_diterima', 'tidak boleh di masa depan');
    if (
      issued &&
      receivedAt &&
      zone &&
      issued.year !== Number(isoOf(civilDayOf(receivedAt, zone)).slice(0, 4))
    ) {
      problem('nomor_register', 'tahun pada nomor register berformat sistem harus tahun tanggal_diterima');
    }
    if (r.provinsi && !ref.provinces.has(r.provinsi))
      problem('provinsi', `kode provinsi "${r.provinsi}" tidak dikenal`);
    const rights = (r.hak ?? '')
      .split(/[;,]/)
      .map((x) => x.trim())
      .filter(Boolean);
    for (const right of rights)
      if (!ref.codes.get('HAK')?.has(right)) problem('hak', `kode hak "${right}" tidak dikenal`);
    const known = (field: string, kind: string) =>
      r[field] && !ref.codes.get(kind)?.has(r[field]) && problem(field, `kode "${r[field]}" tidak dikenal`);
    known('tema', 'TEMA');
    known('pihak_teradu', 'PIHAK_TERADU');
    known('saluran', 'SALURAN');
    const submission = (r.jenis || 'LANGSUNG').toUpperCase();
    if (!['LANGSUNG', 'TEMBUSAN'].includes(submission)) problem('jenis', 'harus LANGSUNG atau TEMBUSAN');
    // The outcomes and letters the current version takes in from old rows (its pack's legacy import).
    const legacy = this.registry.current('pengaduan').legacy;
    const outcome = (r.hasil ?? '').toUpperCase() as Kategori;
    if (r.hasil && !legacy.outcomes.includes(outcome))
      problem('hasil', `harus salah satu dari: ${legacy.outcomes.join(', ')}`);
    const outcomeAt = date('tanggal_hasil');
    if (outcome && outcome !== 'PROSES' && legacy.outcomes.includes(outcome) && !r.tanggal_hasil)
      problem('tanggal_hasil', 'wajib diisi bila hasil bukan PROSES');
    if (outcomeAt && receivedAt && outcomeAt < receivedAt)
      problem('tanggal_hasil', 'tidak boleh sebelum tanggal_diterima');
    let letter: PlannedCase['letter'] = null;
    if (r.nomor_surat || r.tanggal_surat || r.institusi) {
      if (!legacy.letterOutcomes.includes(outcome))
        problem('nomor_surat', `surat rekomendasi hanya untuk hasil ${legacy.letterOutcomes.join(' atau ')}`);
      const at = date('tanggal_surat');
      if (!r.nomor_surat) problem('nomor_surat', 'wajib diisi bila ada surat');
      if (!r.tanggal_surat) problem('tanggal_surat', 'wajib diisi bila ada surat');
      if (at && outcomeAt && at < outcomeAt) problem('tanggal_surat', 'tidak boleh sebelum tanggal_hasil');
      const names = (r.institusi ?? '')
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean);
      if (names.length === 0) problem('institusi', 'wajib diisi bila ada surat');
      const institutions = names.map((n) => {
        const id = ref.institutions.get(nameKey(n));
        if (!id) problem('institusi', `instansi "${n}" belum terdaftar`);
        return id ?? '';
      });
      const responseCells = (r.tanggal_tanggapan ?? '').split(';').map((x) => x.trim());
      if (r.tanggal_tanggapan && responseCells.length > names.length)
        problem('tanggal_tanggapan', 'lebih banyak tanggal daripada instansi');
      const responses = names.map((_, i) => {
        const value = responseCells[i];
        if (!value) return null;
        const d = morningOf(value, zone ?? 'Asia/Jakarta');
        if (!d) {
          problem('tanggal_tanggapan', `"${value}" bukan tanggal yang valid`);
          return null;
        }
        if (at && d < at) problem('tanggal_tanggapan', 'tidak boleh sebelum tanggal_surat');
        return d;
      });
      if (at) letter = { number: r.nomor_surat, at, institutions, responses };
    } else if (r.tanggal_tanggapan) problem('tanggal_tanggapan', 'tanggapan tanpa surat');
    if (problems.length || !zone || !receivedAt) return { plan: null, problems };
    return {
      problems,
      plan: {
        row,
        register: r.nomor_register,
        unit: r.unit,
        zone,
        receivedAt,
        province: r.provinsi,
        regency: r.kabupaten_kota || null,
        rights,
        theme: r.tema,
        party: r.pihak_teradu,
        channel: r.saluran,
        submission: submission as 'LANGSUNG' | 'TEMBUSAN',
        summary: r.ringkasan,
        outcome,
        outcomeAt,
        letter,
      },
    };
  }

  /**
   * A batch of cases with their imported history and dispatches, in three statements. Returns the
   * register numbers created with their case ids; a number taken meanwhile is left out.
   */
  private async createBatch(
    em: EntityManager,
    user: AuthUser,
    plans: PlannedCase[],
    daysOff: DaysOff,
    clockOf: (unitCode: string) => UnitClock,
  ): Promise<Map<string, string>> {
    const definition = this.registry.current('pengaduan');
    const cases: object[] = [];
    const events: object[] = [];
    const dispatches: object[] = [];
    for (const p of plans) {
      const id = newId();
      const replayed = replay(definition, p, daysOff, clockOf(p.unit));
      const { history } = replayed;
      const issued = parseRegisterNumber(p.register);
      cases.push({
        id,
        register_number: p.register,
        register_year: Number(isoOf(civilDayOf(p.receivedAt, p.zone)).slice(0, 4)),
        register_seq: issued?.seq ?? 0,
        unit_code: p.unit,
        state: replayed.state,
        state_value: replayed.stateValue,
        context: replayed.context,
        category: replayed.category,
        version: history.length,
        received_at: p.receivedAt,
        channel: p.channel,
        submission: p.submission,
        locus_province_code: p.province,
        locus_regency: p.regency,
        rights: p.rights,
        theme: p.theme,
        reported_party: p.party,
        summary: p.summary,
        last_event_at: history[history.length - 1].at,
        first_response_at: replayed.firstFollowUpAt,
        ...deadlineRow(replayed.deadline),
      });
      let from: string | null = null;
      for (const [i, e] of history.entries()) {
        events.push({
          case_id: id,
          seq: i + 1,
          type: e.type,
          unit_code: p.unit,
          occurred_at: e.at,
          from_state: from,
          to_state: e.to,
          to_category: e.category,
          payload: e.payload,
        });
        from = e.to;
      }
      if (p.letter) {
        const dueAt = addWorkingDays(p.letter.at, RESPONSE_DAYS, p.zone, daysOff).dueAt;
        for (const [i, inst] of p.letter.institutions.entries()) {
          const answered = p.letter.responses[i];
          dispatches.push({
            id: newId(),
            case_id: id,
            institution_id: inst,
            unit_code: p.unit,
            letter_number: p.letter.number,
            sent_at: p.letter.at,
            due_at: dueAt,
            status: answered ? 'DITANGGAPI' : 'MENUNGGU',
            responded_at: answered,
          });
        }
      }
    }
    const inserted = await this.store.insertImported(em, JSON.stringify(cases), definition, user.id);
    const ids = inserted.map((r) => r.id);
    await this.store.insertImportedEvents(em, JSON.stringify(events), ids, user, definition.version);
    if (dispatches.length) await this.reminders.insertImported(em, JSON.stringify(dispatches), ids);
    return new Map(inserted.map((r) => [r.register_number, r.id]));
  }

  assertMayImport(user: AuthUser): void {
    if (!holdsAny(user.roles, IMPORTERS))
      throw new ForbiddenActionError('Impor data lama hanya untuk ADMIN, KASUBBID atau KABID');
  }
}

/** What a replay leaves: where the case stands, its history with each step's state, its deadline. */
interface Replayed {
  state: string;
  stateValue: unknown;
  context: object;
  category: string;
  history: { type: string; at: Date; to: string; category: string; payload: object }[];
  firstFollowUpAt: Date | null;
  deadline: StoredDeadline | null;
}

/**
 * A legacy row replayed through the version's machine: the events its pack says the row implies,
 * each decided like any event (an event the machine refuses is a fault of the pack, not of the
 * row), and the deadline of the step an open case is still in.
 */
function replay(
  definition: WorkflowDefinition,
  p: PlannedCase,
  daysOff: DaysOff,
  clock: UnitClock,
): Replayed {
  let stored = initialState(definition);
  let snapshot = restore(definition, stored);
  const history: Replayed['history'] = [
    {
      type: 'REGISTRASI',
      at: p.receivedAt,
      to: statePath(snapshot.value as StateValue),
      category: 'PROSES',
      payload: { imported: true, row: p.row },
    },
  ];
  let firstFollowUpAt: Date | null = null;
  let stepStartedAt = p.receivedAt;
  for (const event of definition.legacy.events(p)) {
    // The snapshot in hand, so that it is not restored again from its stored form.
    const decision = decide(
      definition,
      stored,
      { type: event.type, ...event.payload },
      [event.role],
      snapshot,
    );
    if (decision.kind !== 'ok')
      throw new Error(
        `legacy row ${p.row}: ${event.type} is ${decision.kind} in ${statePath(snapshot.value as StateValue)}`,
      );
    if (decision.toState !== history[history.length - 1].to) stepStartedAt = event.at;
    history.push({
      type: event.type,
      at: event.at,
      to: decision.toState,
      category: decision.category,
      payload: { imported: true, ...event.payload },
    });
    if (decision.effects.includes('TINDAK_LANJUT') && !firstFollowUpAt) firstFollowUpAt = event.at;
    stored = decision.stored;
    snapshot = decision.after;
  }
  const state = statePath(snapshot.value as StateValue);
  const { zone, ...rules } = clock;
  const deadline = isClosed(definition, snapshot)
    ? null
    : startDeadline(state, stepMeta(snapshot), stepStartedAt, zone, daysOff, rules);
  return {
    state,
    stateValue: snapshot.value,
    context: stored.context,
    category: kategoriOf(stored.context),
    history,
    firstFollowUpAt,
    deadline,
  };
}

/** The deadline columns of an imported case, as the insert reads them. */
function deadlineRow(deadline: StoredDeadline | null): Record<string, unknown> {
  const columns = deadlineColumns(deadline);
  return {
    deadline_step: columns.deadlineStep,
    deadline_clock: columns.deadlineClock,
    deadline_basis_at: columns.deadlineBasisAt,
    deadline_limit: columns.deadlineLimit,
    deadline_due_at: columns.deadlineDueAt,
    deadline_due_soon_at: columns.deadlineDueSoonAt,
    deadline_provisional: columns.deadlineProvisional,
    paused_at: columns.pausedAt,
    next_sla_check_at: columns.nextSlaCheckAt,
  };
}
