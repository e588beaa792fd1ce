import { Injectable, Logger } from '@nestjs/common';
import { isUuid } from '../database/query-results';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { CalendarService } from '../calendars/calendar.service';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import { JobRuns, type ParkedItems } from '../jobs/job-runs';
import { eachIsolated, ITEM_TRIES, retryAt } from '../jobs/item-isolation';
import { Lifecycle } from '../common/lifecycle';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { OutboxService } from '../mail/outbox.service';
import { NotificationsService } from '../notifications/notifications.service';
import { formatLocal } from '../common/format';
import { addWorkingDays, type DaysOff } from '../sla/working-time';
import { UnitDirectory } from '../units/unit-directory';
import { attachedAgain, COVER_LETTER, renderLetter, unknownPlaceholders, type LetterValues } from './letters';
import { queueMailFragment } from '../mail/outbox-statements';
import type { StatementFragment } from '../database/sql';
import {
  DEFAULT_SCHEDULE,
  latestDue,
  nextCheck,
  scheduleProblems,
  stageTimes,
  type Addressee,
  type Stage,
} from './reminder-schedule';
import { UNIT_HEADS } from '../common/access-policy';
import { Scope } from '../common/access-policy';
import { firstRow, queryRows, writeRows } from '../database/sql';
import { describeError } from '../common/error-description';
import { UnitsService } from '../units/units.service';
import { ConfigurationRevision } from '../config/configuration-revision';
import { newId } from '../common/ids';

interface LetterTemplate {
  subject: string;
  bodyText: string;
}

export interface TemplateRow extends LetterTemplate {
  stage: string;
  updatedAt: Date;
  updatedBy: string | null;
}

const TEMPLATE = `stage, subject, body_text AS "bodyText", updated_at AS "updatedAt", updated_by AS "updatedBy"`;

/** What a letter is written from: the dispatch, its case's number and the unit (never who complained). */
type LetterFacts = Pick<
  DueDispatch,
  | 'institution_name'
  | 'letter_number'
  | 'sent_at'
  | 'register_number'
  | 'due_at'
  | 'unit_name'
  | 'letter_attachment_id'
>;

type PreviewDispatch = LetterFacts & Pick<DueDispatch, 'unit_code'>;

export interface DispatchRow {
  id: string;
  institutionId: string;
  institutionName: string;
  round: number;
  letterNumber: string;
  sentAt: Date;
  dueAt: Date;
  status: string;
  respondedAt: Date | null;
  /** When the reminders were stopped, by whom (username) and why; null while they run. */
  stoppedAt: Date | null;
  stoppedBy: string | null;
  stopReason: string | null;
  /** The signed letter mailed with the dispatch, and where its mail stands (null: sent by other means). */
  letterAttachmentId: string | null;
  letterMailStatus: string | null;
  reminders: { stage: string; addressee: string; decidedAt: string; mailStatus: string | null }[];
}

export interface WaitingDispatch {
  id: string;
  institutionId: string;
  institutionName: string;
  letterNumber: string;
}

/** The wording of one letter (a reminder stage, or the cover of the signed letter). */
function templateOf(db: EntityManager | DataSource, stage: string): Promise<LetterTemplate | undefined> {
  return firstRow<LetterTemplate>(
    db,
    'SELECT subject, body_text AS "bodyText" FROM letter_templates WHERE stage = $1',
    [stage],
  );
}

/** An institution's addresses (alias `alias`): its own first, then those it asked to be copied. */
function addressesOf(alias: string): string {
  return `array_prepend(${alias}.email, ${alias}.extra_emails)`;
}

/** The dedupe key of the signed letter's mail to one institution of one round of a case. */
function letterMailKeySql(caseId: string, round: string, institutionId: string): string {
  return `'letter:' || ${caseId} || ':' || ${round} || ':' || ${institutionId}`;
}

/** The institution's 30 working days to answer (SOP step 11). */
export const RESPONSE_DAYS = 30;
const BATCH = 200;
/** Failed checks of one dispatch in a row before it is parked and the administrators are told. */
export const REMINDER_CHECK_TRIES = ITEM_TRIES;

export interface ReminderSweepResult {
  decided: number;
  /** Dispatches whose check failed this sweep: each rolled back alone and retried later. */
  failed: number;
  /** Of those, the dispatches parked now after REMINDER_CHECK_TRIES failures. */
  parked: number;
}

interface DueDispatch {
  id: string;
  failures: number;
  case_id: string;
  institution_id: string;
  unit_code: string;
  letter_number: string;
  sent_at: Date;
  due_at: Date;
  letter_attachment_id: string | null;
  register_number: string;
  institution_name: string;
  emails: string[];
  parent_name: string | null;
  parent_emails: string[] | null;
  unit_name: string;
}

/**
 * Reminders to institutions that owe a response. Dispatches are rows with the instant the sweep
 * must next look at them; a sweep claims the due ones with SKIP LOCKED and decides, for each
 * addressee, only the latest stage due now. A decision is a unique row (dispatch, addressee,
 * stage) and its mail is queued in the same transaction, so nothing is decided twice.
 */
@Injectable()
export class ReminderService {
  private readonly logger = new Logger('Reminders');

  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: CalendarService,
    private readonly units: UnitDirectory,
    private readonly outbox: OutboxService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly unitRegistry: UnitsService,
    private readonly revisions: ConfigurationRevision,
    private readonly lifecycle: Lifecycle,
    jobs: JobRuns,
  ) {
    jobs.reportsParked('reminders', () => this.parked());
  }

  /** The dispatches whose reminder checks were parked after REMINDER_CHECK_TRIES failures in a row. */
  private async parked(): Promise<ParkedItems> {
    const rows = await queryRows<{
      caseId: string;
      registerNumber: string;
      institution: string;
      total: number;
    }>(
      this.dataSource,
      `SELECT c.id AS "caseId", c.register_number AS "registerNumber", i.name AS institution,
              count(*) OVER ()::int AS total
         FROM dispatches d JOIN cases c ON c.id = d.case_id JOIN institutions i ON i.id = d.institution_id
        WHERE d.status = 'MENUNGGU' AND d.reminder_check_failures >= $1 AND d.next_reminder_check_at IS NULL
        ORDER BY d.sent_at DESC LIMIT 20`,
      [REMINDER_CHECK_TRIES],
    );
    return {
      count: rows[0]?.total ?? 0,
      items: rows.map((r) => ({
        caseId: r.caseId,
        registerNumber: r.registerNumber,
        what: `pengingat kepada ${r.institution}`,
      })),
    };
  }

  async schedule(unitCode: string, db: EntityManager | DataSource = this.dataSource): Promise<Stage[]> {
    const row = await firstRow<{ stages: Stage[] }>(
      db,
      'SELECT stages FROM reminder_schedules WHERE unit_code = $1',
      [unitCode],
    );
    return row?.stages ?? DEFAULT_SCHEDULE;
  }

  /** Due date and first check of a new dispatch, for the KIRIM_SURAT statement. */
  async planDispatch(
    unitCode: string,
    sentAt: Date,
    configRevision: string,
  ): Promise<{ dueAt: Date; nextCheckAt: Date | null }> {
    const clock = await this.units.clock(unitCode, configRevision);
    const daysOff = await this.calendar.daysOff(undefined, configRevision);
    const dueAt = addWorkingDays(sentAt, RESPONSE_DAYS, clock.zone, daysOff).dueAt;
    const times = stageTimes(await this.schedule(unitCode), dueAt, clock.zone, daysOff, clock.hours.open);
    // A back-dated dispatch may already have stages due: the next sweep decides them at once.
    return {
      dueAt,
      nextCheckAt: times.length ? new Date(Math.min(...times.map((t) => t.at.getTime()))) : null,
    };
  }

  /**
   * The signed letter of a round, mailed to each institution that has an address under the cover
   * text (template PENGANTAR_SURAT): one mail per institution queued in the event's own statement,
   * once per case, round and institution, carrying the PDF. The cover says what the reminders
   * say: the letter's number and date, the case's register number, the reply deadline; never who
   * complained.
   */
  async coverLetters(letter: {
    unitCode: string;
    registerNumber: string;
    institutionIds: string[];
    letterNumber: string;
    attachmentId: string;
    round: number;
    sentAt: Date;
    dueAt: Date;
    now: Date;
  }): Promise<StatementFragment[]> {
    const template = await templateOf(this.dataSource, COVER_LETTER);
    if (!template) throw new Error(`no letter template ${COVER_LETTER}`);
    const institutions = await queryRows<{ id: string; name: string; emails: string[] }>(
      this.dataSource,
      `SELECT i.id, i.name, ${addressesOf('i')} AS emails FROM institutions i WHERE i.id = ANY($1::uuid[])`,
      [letter.institutionIds],
    );
    const unit = await firstRow<{ name: string }>(this.dataSource, 'SELECT name FROM units WHERE code = $1', [
      letter.unitCode,
    ]);
    const zone = await this.units.timeZone(letter.unitCode);
    return institutions
      .filter((institution) => institution.emails.length > 0)
      .map((institution) => {
        const rendered = renderLetter(
          template,
          this.values(
            {
              institution_name: institution.name,
              letter_number: letter.letterNumber,
              sent_at: letter.sentAt,
              register_number: letter.registerNumber,
              due_at: letter.dueAt,
              unit_name: unit?.name ?? letter.unitCode,
              letter_attachment_id: letter.attachmentId,
            },
            `Pimpinan ${institution.name}`,
            zone,
          ),
        );
        return queueMailFragment(
          {
            kind: 'SURAT_REKOMENDASI',
            audience: 'INSTITUSI',
            dedupeKeySql: (p) =>
              letterMailKeySql('upd.id', `${p(letter.round)}::int`, `${p(institution.id)}::uuid`),
            record: this.outbox.recordOf({
              audience: 'INSTITUSI',
              to: institution.emails,
              subject: rendered.subject,
              text: rendered.text,
              html: rendered.html,
            }),
            now: letter.now,
            attachmentId: letter.attachmentId,
          },
          () => 'FROM upd',
        );
      });
  }

  /**
   * After a configuration change: the open dispatches it may move (a unit's, or those whose 30
   * working days come near a changed date) get their reply deadline counted again, and their next
   * reminder check is brought forward to `now`, so the sweep (the one place that decides stages)
   * places the stages on the new dates. Dispatches without a next check (every stage decided,
   * or imported without reminders) keep none. In the change's transaction; answers those moved.
   */
  async recheckDispatches(
    em: EntityManager,
    filter: { unitCode: string } | { date: string },
    daysOff: DaysOff,
    zoneOf: (unitCode: string) => string,
    now: Date,
  ): Promise<number> {
    const rows = await queryRows<{ id: string; unit_code: string; sent_at: Date; due_at: Date }>(
      em,
      `SELECT id, unit_code, sent_at, due_at FROM dispatches
        WHERE status = 'MENUNGGU' AND ${
          'unitCode' in filter ? 'unit_code = $1' : 'sent_at < ($1::date + 2) AND due_at > ($1::date - 2)'
        }
        ORDER BY id FOR UPDATE`,
      ['unitCode' in filter ? filter.unitCode : filter.date],
    );
    if (!rows.length) return 0;
    const moved = rows.flatMap((d) => {
      const dueAt = addWorkingDays(d.sent_at, RESPONSE_DAYS, zoneOf(d.unit_code), daysOff).dueAt;
      return dueAt.getTime() === d.due_at.getTime() ? [] : [{ id: d.id, due_at: dueAt }];
    });
    await em.query(
      `UPDATE dispatches d SET due_at = coalesce(m.due_at, d.due_at),
              next_reminder_check_at = CASE WHEN d.next_reminder_check_at IS NULL THEN NULL
                                            ELSE least(d.next_reminder_check_at, $3::timestamptz) END
         FROM unnest($1::uuid[]) AS ids(id)
         LEFT JOIN jsonb_to_recordset($2::jsonb) AS m(id uuid, due_at timestamptz) ON m.id = ids.id
        WHERE d.id = ids.id`,
      [rows.map((r) => r.id), JSON.stringify(moved), now],
    );
    return moved.length;
  }

  /**
   * Claims the due dispatches (SKIP LOCKED, so instances share them) and handles each under its
   * own savepoint: one that fails is rolled back alone, retried later with back-off and parked
   * after REMINDER_CHECK_TRIES failures in a row (the administrators are told), and the rest of
   * the batch goes on.
   */
  async sweep(): Promise<ReminderSweepResult> {
    const result: ReminderSweepResult = { decided: 0, failed: 0, parked: 0 };
    for (;;) {
      const claimed = await this.dataSource.transaction(async (em) => {
        const now = this.clock.now();
        const rows = await queryRows<DueDispatch>(
          em,
          `SELECT d.id, d.case_id, d.institution_id, d.unit_code, d.letter_number, d.sent_at, d.due_at,
                  d.letter_attachment_id, d.reminder_check_failures AS failures,
                  c.register_number, i.name AS institution_name, ${addressesOf('i')} AS emails,
                  p.name AS parent_name, CASE WHEN p.id IS NULL THEN NULL ELSE ${addressesOf('p')} END AS parent_emails,
                  u.name AS unit_name
             FROM dispatches d
             JOIN cases c ON c.id = d.case_id
             JOIN institutions i ON i.id = d.institution_id
             LEFT JOIN institutions p ON p.id = i.parent_id
             JOIN units u ON u.code = d.unit_code
            WHERE d.status = 'MENUNGGU' AND d.next_reminder_check_at <= $1
            ORDER BY d.next_reminder_check_at LIMIT $2
            FOR UPDATE OF d SKIP LOCKED`,
          [now, BATCH],
        );
        await eachIsolated(
          em,
          rows,
          async (row) => {
            result.decided += await this.handle(em, row, now);
          },
          (row, error) => this.failed(em, row, now, error, result),
        );
        return rows.length;
      });
      // A stopping instance commits the batch it holds and claims no other.
      if (claimed < BATCH || this.lifecycle.stopping) return result;
    }
  }

  /** A dispatch whose check failed: retried later on its own; parked and reported after a few failures. */
  private async failed(
    em: EntityManager,
    d: DueDispatch,
    now: Date,
    error: unknown,
    result: ReminderSweepResult,
  ): Promise<void> {
    const [row] = await queryRows<{ failures: number }>(
      em,
      `UPDATE dispatches SET reminder_check_failures = reminder_check_failures + 1,
              next_reminder_check_at = CASE WHEN reminder_check_failures + 1 >= $3 THEN NULL ELSE $2::timestamptz END
        WHERE id = $1 RETURNING reminder_check_failures AS failures`,
      [d.id, retryAt(now, d.failures), REMINDER_CHECK_TRIES],
    );
    result.failed += 1;
    const reason = describeError(error);
    if (row.failures < REMINDER_CHECK_TRIES) {
      this.logger.warn(
        `reminder check of dispatch ${d.id} (${d.register_number}) failed (${row.failures}), retried later: ${reason}`,
      );
      return;
    }
    result.parked += 1;
    this.logger.error(
      `reminder check of dispatch ${d.id} (${d.register_number}) failed ${row.failures} times; parked: ${reason}`,
    );
    await this.notifications.notifyAdministrators(em, {
      caseId: d.case_id,
      kind: 'PENGINGAT_TERHENTI',
      dedupeKey: `reminder-parked:${d.id}:${row.failures}`,
      title: `Pengingat terhenti: ${d.register_number}`,
      body: `Pengingat kepada ${d.institution_name} untuk surat ${d.letter_number} (pengaduan ${d.register_number}) tidak dapat diproses ${row.failures} kali berturut-turut dan tidak dikirim lagi sampai diperiksa. Mohon periksa log layanan.`,
    });
  }

  private async handle(em: EntityManager, d: DueDispatch, now: Date): Promise<number> {
    const clock = await this.units.clock(d.unit_code);
    const daysOff = await this.calendar.daysOff(em);
    const times = stageTimes(
      await this.schedule(d.unit_code, em),
      d.due_at,
      clock.zone,
      daysOff,
      clock.hours.open,
    );
    const sent = await queryRows<{ addressee: Addressee; rank: number }>(
      em,
      'SELECT addressee, max(stage_rank)::int AS rank FROM reminders WHERE dispatch_id = $1 GROUP BY addressee',
      [d.id],
    );
    let decided = 0;
    for (const [addressee, due] of latestDue(times, now)) {
      const already = sent.find((s) => s.addressee === addressee)?.rank ?? -1;
      if (due.rank <= already) continue;
      if (await this.decide(em, d, addressee, due.stage.code, due.rank, clock.zone)) decided += 1;
    }
    await em.query(
      'UPDATE dispatches SET next_reminder_check_at = $2, reminder_check_failures = 0 WHERE id = $1',
      [d.id, nextCheck(times, now)],
    );
    return decided;
  }

  private async decide(
    em: EntityManager,
    d: DueDispatch,
    addressee: Addressee,
    stage: string,
    rank: number,
    zone: string,
  ): Promise<boolean> {
    const reminderId = newId();
    const inserted = await queryRows<{ id: string }>(
      em,
      `INSERT INTO reminders (id, dispatch_id, addressee, stage, stage_rank) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (dispatch_id, addressee, stage) DO NOTHING RETURNING id`,
      [reminderId, d.id, addressee, stage, rank],
    );
    if (inserted.length === 0) return false;
    let to: string[];
    let penerima: string;
    if (addressee === 'INSTITUSI') {
      to = d.emails;
      penerima = `Pimpinan ${d.institution_name}`;
    } else if (addressee === 'INDUK') {
      to = d.parent_emails ?? [];
      penerima = d.parent_name ? `Pimpinan ${d.parent_name}` : '';
    } else {
      const supervisors = await queryRows<{ id: string; email: string | null }>(
        em,
        `SELECT id, email FROM users WHERE unit_code = $1 AND active AND roles && $2::text[]`,
        [d.unit_code, UNIT_HEADS],
      );
      to = supervisors.filter((s) => s.email).map((s) => s.email!);
      penerima = `Pimpinan ${d.unit_name}`;
      await this.notifications.notify(
        em,
        supervisors.map((s) => s.id),
        {
          caseId: d.case_id,
          kind: 'TANGGAPAN_TERLAMBAT',
          dedupeKey: `reminder:${d.id}:${stage}`,
          title: `${d.institution_name} belum menanggapi surat ${d.letter_number}`,
          body: `Pengaduan ${d.register_number}: tenggat tanggapan ${formatLocal(d.due_at, zone)} telah lewat.`,
        },
      );
    }
    if (to.length === 0) {
      this.logger.warn(
        `reminder ${stage} of dispatch ${d.id} to ${addressee}: no address, recorded without mail`,
      );
      return true;
    }
    const template = await templateOf(em, stage);
    if (!template) throw new Error(`no letter template for stage ${stage}`);
    const letter = renderLetter(template, this.values(d, penerima, zone));
    await this.outbox.enqueue(em, {
      kind: `PENGINGAT_${addressee}`,
      dedupeKey: `reminder:${d.id}:${addressee}:${stage}`,
      audience: addressee === 'PIMPINAN' ? 'PETUGAS' : 'INSTITUSI',
      to,
      subject: letter.subject,
      text: letter.text,
      html: letter.html,
      caseId: d.case_id,
      unitCode: d.unit_code,
      // The signed letter goes again with each reminder of its round.
      attachmentId: d.letter_attachment_id,
    });
    const [message] = await queryRows<{ id: string }>(
      em,
      'SELECT id FROM outbox_messages WHERE dedupe_key = $1',
      [`reminder:${d.id}:${addressee}:${stage}`],
    );
    await em.query('UPDATE reminders SET outbox_message_id = $2 WHERE id = $1', [reminderId, message.id]);
    return true;
  }

  /** What a letter may say: the letter, the case's register number, dates, the units. Never who complained. */
  private values(d: LetterFacts, penerima: string, zone: string): LetterValues {
    return {
      penerima,
      institusi: d.institution_name,
      nomorSurat: d.letter_number,
      tanggalSurat: DateTime.fromJSDate(d.sent_at, { zone }).setLocale('id').toFormat('d MMMM yyyy'),
      nomorRegister: d.register_number,
      tenggat: formatLocal(d.due_at, zone),
      unit: d.unit_name,
      lampiran: attachedAgain(d.letter_attachment_id !== null),
    };
  }

  // Administration: templates, previews and schedules.

  templates(): Promise<TemplateRow[]> {
    return queryRows<TemplateRow>(this.dataSource, `SELECT ${TEMPLATE} FROM letter_templates ORDER BY stage`);
  }

  async saveTemplate(user: AuthUser, stage: string, subject: string, bodyText: string) {
    const problems = [
      ...unknownPlaceholders(subject).map((p) => ({
        field: 'subject',
        reason: `placeholder tidak dikenal: {{${p}}}`,
      })),
      ...unknownPlaceholders(bodyText).map((p) => ({
        field: 'bodyText',
        reason: `placeholder tidak dikenal: {{${p}}}`,
      })),
    ];
    if (!/^[A-Z0-9_]{2,32}$/.test(stage))
      problems.push({ field: 'stage', reason: 'huruf besar, angka dan garis bawah; 2-32 karakter' });
    if (problems.length) throw new InvalidInputError(problems);
    const [row] = await writeRows<TemplateRow>(
      this.dataSource,
      `INSERT INTO letter_templates (stage, subject, body_text, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stage) DO UPDATE SET subject = EXCLUDED.subject, body_text = EXCLUDED.body_text,
         updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING ${TEMPLATE}`,
      [stage, subject, bodyText, user.username],
    );
    return row;
  }

  /** A stage's letter as it would go out: for a real dispatch the caller may see, or with sample values. */
  async preview(user: AuthUser, stage: string, dispatchId?: string) {
    const template = await templateOf(this.dataSource, stage);
    if (!template) throw new NotFoundError('Templat surat');
    if (!dispatchId) {
      const sample: LetterValues = {
        penerima: 'Pimpinan Kepolisian Daerah Contoh',
        institusi: 'Kepolisian Daerah Contoh',
        nomorSurat: 'W.HAM.01-123',
        tanggalSurat: '2 Januari 2026',
        nomorRegister: 'KANWIL-XX/2026/00001',
        tenggat: '13 Februari 2026 23.59 WIB',
        unit: 'Kantor Wilayah Contoh',
        lampiran: attachedAgain(true),
      };
      return renderLetter(template, sample);
    }
    const params: unknown[] = [dispatchId];
    const d = isUuid(dispatchId)
      ? await firstRow<PreviewDispatch>(
          this.dataSource,
          `SELECT d.letter_number, d.sent_at, d.due_at, d.unit_code, d.letter_attachment_id, c.register_number,
                  i.name AS institution_name, u.name AS unit_name
             FROM dispatches d JOIN cases c ON c.id = d.case_id JOIN institutions i ON i.id = d.institution_id
             JOIN units u ON u.code = d.unit_code
            WHERE d.id = $1 AND ${Scope.of(user).where('d.unit_code', params)}`,
          params,
        )
      : undefined;
    if (!d) throw new NotFoundError('Pengiriman surat');
    const zone = await this.units.timeZone(d.unit_code);
    return renderLetter(template, this.values(d, `Pimpinan ${d.institution_name}`, zone));
  }

  async saveSchedule(unitCode: string, stages: Stage[]) {
    if (!(await this.unitRegistry.unitExists(unitCode))) throw new NotFoundError('Unit');
    // The cover letter goes with the letter itself, never as a stage of the schedule.
    const known = (
      await queryRows<{ stage: string }>(
        this.dataSource,
        'SELECT stage FROM letter_templates WHERE stage <> $1',
        [COVER_LETTER],
      )
    ).map((r) => r.stage);
    const problems = scheduleProblems(stages, known);
    if (problems.length) throw new InvalidInputError(problems);
    // The unit's open dispatches are checked again against the new stages, in the same transaction.
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO reminder_schedules (unit_code, stages) VALUES ($1, $2) ON CONFLICT (unit_code) DO UPDATE SET stages = EXCLUDED.stages, updated_at = now()`,
        [unitCode, JSON.stringify(stages)],
      );
      await this.revisions.changed(em, { kind: 'JADWAL_PENGINGAT', unitCode });
    });
    return { unitCode, stages };
  }

  /** The dispatches of imported cases (`ids` are those created), as the legacy rows recorded them. */
  async insertImported(em: EntityManager, dispatchesJson: string, ids: string[]): Promise<void> {
    await em.query(
      `INSERT INTO dispatches (id, case_id, institution_id, round, unit_code, letter_number, sent_at, due_at, status,
                              responded_at, next_reminder_check_at)
       SELECT r.id, r.case_id, r.institution_id, 1, r.unit_code, r.letter_number, r.sent_at, r.due_at, r.status,
              r.responded_at, NULL
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, case_id uuid, institution_id uuid, unit_code text,
              letter_number text, sent_at timestamptz, due_at timestamptz, status text, responded_at timestamptz)
         JOIN unnest($2::uuid[]) AS created(id) ON created.id = r.case_id`,
      [dispatchesJson, ids],
    );
  }

  /** The case's dispatches whose institution has not answered and is still reminded. */
  waitingOf(caseId: string): Promise<WaitingDispatch[]> {
    return queryRows<WaitingDispatch>(
      this.dataSource,
      `SELECT d.id, d.institution_id AS "institutionId", i.name AS "institutionName", d.letter_number AS "letterNumber"
         FROM dispatches d JOIN institutions i ON i.id = d.institution_id
        WHERE d.case_id = $1 AND d.status = 'MENUNGGU' ORDER BY d.round, i.name`,
      [caseId],
    );
  }

  /** Each dispatch of a case with its status and the reminders decided for it. */
  dispatchesOf(caseId: string): Promise<DispatchRow[]> {
    return queryRows<DispatchRow>(
      this.dataSource,
      `SELECT d.id, d.institution_id AS "institutionId", i.name AS "institutionName", d.round, d.letter_number AS "letterNumber",
              d.sent_at AS "sentAt", d.due_at AS "dueAt", d.status, d.responded_at AS "respondedAt",
              d.stopped_at AS "stoppedAt", s.username AS "stoppedBy", d.stop_reason AS "stopReason",
              d.letter_attachment_id AS "letterAttachmentId",
              (SELECT o.status FROM outbox_messages o
                WHERE o.dedupe_key = ${letterMailKeySql('d.case_id', 'd.round', 'd.institution_id')}) AS "letterMailStatus",
              coalesce((SELECT json_agg(json_build_object('stage', r.stage, 'addressee', r.addressee, 'decidedAt', r.decided_at,
                                                          'mailStatus', o.status) ORDER BY r.stage_rank, r.addressee)
                          FROM reminders r LEFT JOIN outbox_messages o ON o.id = r.outbox_message_id
                         WHERE r.dispatch_id = d.id), '[]') AS reminders
         FROM dispatches d JOIN institutions i ON i.id = d.institution_id
         LEFT JOIN users s ON s.id = d.stopped_by
        WHERE d.case_id = $1 ORDER BY d.round, i.name`,
      [caseId],
    );
  }
}
