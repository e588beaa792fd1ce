import { HttpStatus, Injectable } from '@nestjs/common';
import { isUuid } from '../database/query-results';
import { DateTime } from 'luxon';
import { Brackets, DataSource, type SelectQueryBuilder } from 'typeorm';
import type { AnyMachineSnapshot } from 'xstate';
import { explainDays } from '../sla/deadline-explanation';
import {
  initialState,
  isClosed,
  kategoriOf,
  eventsWithEffect,
  restore,
  statePath,
  officerSteps,
  statesActedBy,
  stepMeta,
  WorkflowRegistry,
  type Batas,
} from '../../workflows';
import { CalendarService } from '../calendars/calendar.service';
import { ConfigurationRevision } from '../config/configuration-revision';
import { CaseStore } from './case-store';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import { ForbiddenActionError, InvalidInputError, NotFoundError, type FieldProblem } from '../common/errors';
import { AuditService } from '../audit/audit.service';
import { ReferenceValidator } from '../reference/reference-validator';
import { UnitDirectory } from '../units/unit-directory';
import { ReminderService } from '../reminders/reminder.service';
import { leftWhenPaused, startDeadline } from '../sla/deadline-policy';
import { CaseEventEntity } from './case-event.entity';
import { outboxRecord } from '../mail/outbox.service';
import { queueMailFragment } from '../mail/outbox-statements';
import { whenUnitTellsComplainants } from '../units/unit-statements';
import { MailSeal } from '../mail/mail-seal';
import { Scope } from '../common/access-policy';
import { queryRows } from '../database/sql';
import { formatRegisterNumber } from './register-number';
import { hashTrackingCode, newTrackingCode } from '../complainants/tracking-code';
import { receiptMail, receiptOf, type Receipt } from '../complainants/receipt';
import { milestoneMail } from '../complainants/milestones';
import {
  deadlineColumns,
  mayRevealComplainant,
  presentCase,
  presentDeadline,
  type CaseView,
  type CaseViewOptions,
  type Complainant,
} from './case-view';
import { CaseEntity } from './case.entity';
import { CasePeople } from './case-people';
import { CreateCaseDto } from './create-case.dto';
import { checkInto } from '../common/validation';
import { CASE_SORT_COLUMNS, type ListCasesQuery } from './list-cases.query';
import { ReadReplicas } from '../database/read-replicas';
import type { StateValue } from 'xstate';
import { RequestAudit } from '../audit/request-audit';
import { newId } from '../common/ids';

/** A client clock may run a little ahead of ours; beyond this, a time is "in the future". */
export const CLOCK_SKEW_MS = 60_000;

/** How long a registration's Idempotency-Key answers with the case it created. */
const IDEMPOTENCY_HOURS = 24;

/** An Idempotency-Key: an opaque token of the client's, 1-200 visible ASCII characters. */
function checkIdempotencyKey(value: string): string {
  const key = value.trim();
  if (!/^[\x21-\x7e]{1,200}$/.test(key))
    throw InvalidInputError.field('Idempotency-Key', 'harus 1-200 karakter ASCII tanpa spasi');
  return key;
}

/** A registration whose Idempotency-Key another request of the same user committed first. */
class RepeatedRegistration extends Error {
  constructor(readonly key: string) {
    super('repeated registration');
  }
}

/** No complaint registered at the desk was received before the service's era. */
const EARLIEST_RECEIVED_AT = new Date('2000-01-01T00:00:00+07:00');

/** How far a list counts its cases before it says "more than" (an exact count on request). */
export const LIST_COUNT_CAP = 50_000;
/** A search ranks its matches by closeness up to this many; more are listed newest first. */
export const RANKED_AT_MOST = 2_000;

@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: WorkflowRegistry,
    private readonly calendar: CalendarService,
    private readonly references: ReferenceValidator,
    private readonly audit: AuditService,
    private readonly units: UnitDirectory,
    private readonly reminders: ReminderService,
    private readonly clock: Clock,
    private readonly store: CaseStore,
    private readonly revisions: ConfigurationRevision,
    private readonly people: CasePeople,
    private readonly seal: MailSeal,
    private readonly replicas: ReadReplicas,
  ) {}

  /** Reads the identity for one who handles the case; the read is recorded before it is answered. */
  async revealComplainant(user: AuthUser, id: string, address: string): Promise<Complainant> {
    const row = await this.findVisible(user, id);
    if (!mayRevealComplainant(user, row)) {
      await this.audit.record({
        actor: user,
        address,
        action: 'COMPLAINANT_READ_REFUSED',
        entityType: 'case',
        entityId: row.id,
        statusCode: 403,
      });
      throw new ForbiddenActionError('Identitas pengadu hanya untuk petugas yang menangani kasus ini');
    }
    await this.audit.record({
      actor: user,
      address,
      action: 'COMPLAINANT_READ',
      method: 'GET',
      path: `/api/cases/${row.id}/complainant`,
      entityType: 'case',
      entityId: row.id,
      statusCode: 200,
      details: { confidential: row.complainant.confidential ?? false },
    });
    return row.complainant;
  }

  /**
   * Registers a complaint; the answer carries the receipt, the only time its tracking code is shown.
   * With an Idempotency-Key, the same key from the same user within 24 hours answers the case it
   * first registered, with the same receipt (`replayed`), instead of registering it again.
   */
  async register(
    user: AuthUser,
    body: unknown,
    idempotencyKey: string | undefined,
  ): Promise<{ view: CaseView & { receipt: Receipt }; replayed: boolean }> {
    const dto = await this.registration(body);
    const key = idempotencyKey === undefined ? undefined : checkIdempotencyKey(idempotencyKey);
    if (key) {
      const earlier = await this.registeredWith(user, key);
      if (earlier) return { view: earlier, replayed: true };
    }
    try {
      return { view: await this.create(user, dto, key), replayed: false };
    } catch (error) {
      // The same key's first request committed while this one waited on it.
      if (!(error instanceof RepeatedRegistration)) throw error;
      const earlier = await this.registeredWith(user, error.key);
      if (!earlier) throw error;
      return { view: earlier, replayed: true };
    }
  }

  /**
   * The registration form as its class checks it. When the form's own rules fail, the codes and
   * the date that passed them are judged as well (registrationProblems), so that one 400 names
   * every wrong field: a future date is not told only after the empty summary is filled in.
   * A valid form is judged there after an Idempotency-Key's replay, which answers what was
   * registered with the codes of that day.
   */
  private async registration(body: unknown): Promise<CreateCaseDto> {
    const plain = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
    const { instance, problems } = checkInto(CreateCaseDto, plain);
    if (problems.length === 0) return instance;
    const failed = (field: string) => problems.some((p) => sameOrWithin(p.field, field));
    throw new InvalidInputError([...problems, ...(await this.registrationProblems(instance, failed))]);
  }

  /**
   * What a registration's form cannot tell by itself: that its codes are known and active, and
   * that its date of receipt is neither in the future nor before 2000. Fields that `failed` the
   * form's own rules are not judged again.
   */
  private async registrationProblems(
    dto: CreateCaseDto,
    failed: (field: string) => boolean = () => false,
  ): Promise<FieldProblem[]> {
    const codes = [
      { field: 'unitCode', kind: 'UNIT' as const, code: dto.unitCode },
      { field: 'channel', kind: 'SALURAN' as const, code: dto.channel },
      { field: 'theme', kind: 'TEMA' as const, code: dto.theme },
      { field: 'reportedParty', kind: 'PIHAK_TERADU' as const, code: dto.reportedParty },
      // Optional chaining: a form that failed may lack its locus or its list of rights.
      { field: 'locus.provinceCode', kind: 'PROVINSI' as const, code: dto.locus?.provinceCode },
      ...(Array.isArray(dto.rights) ? dto.rights : []).map((code, i) => ({
        field: `rights[${i}]`,
        kind: 'HAK' as const,
        code,
      })),
    ];
    const problems = await this.references.check(
      codes.filter((c): c is typeof c & { code: string } => typeof c.code === 'string' && !failed(c.field)),
    );
    if (!failed('receivedAt')) {
      const receivedAt = new Date(dto.receivedAt);
      if (receivedAt.getTime() > this.clock.now().getTime() + CLOCK_SKEW_MS) {
        problems.push({ field: 'receivedAt', reason: 'tidak boleh di masa depan' });
      } else if (receivedAt < EARLIEST_RECEIVED_AT) {
        // Older complaints come in through the legacy import, which records them as history.
        problems.push({
          field: 'receivedAt',
          reason: 'tidak boleh sebelum tahun 2000; pengaduan lama dicatat melalui impor data lama',
        });
      }
    }
    return problems;
  }

  /**
   * Forgets the Idempotency-Keys past their 24 hours, and with them the sealed tracking codes kept
   * to answer a repeated registration: a code is kept no longer than a repeat can come.
   */
  async pruneRegistrations(): Promise<number> {
    const [{ n }] = await queryRows<{ n: number }>(
      this.dataSource,
      // The database's clock, as the keys' own window reads it.
      `WITH d AS (DELETE FROM case_registrations WHERE created_at <= now() - interval '${IDEMPOTENCY_HOURS} hours' RETURNING 1)
       SELECT count(*)::int AS n FROM d`,
    );
    return n;
  }

  /** The case a user's registration with this key created in the last 24 hours, with its receipt. */
  private async registeredWith(
    user: AuthUser,
    key: string,
  ): Promise<(CaseView & { receipt: Receipt }) | null> {
    const [earlier] = await queryRows<{ caseId: string; sealed: Buffer }>(
      this.dataSource,
      `SELECT case_id AS "caseId", sealed_tracking_code AS sealed FROM case_registrations
        WHERE user_id = $1 AND idempotency_key = $2 AND created_at > now() - interval '${IDEMPOTENCY_HOURS} hours'`,
      [user.id, key],
    );
    if (!earlier) return null;
    RequestAudit.current()?.names(earlier.caseId);
    const row = await this.dataSource.getRepository(CaseEntity).findOneByOrFail({ id: earlier.caseId });
    const zone = (await this.units.clock(row.unitCode)).zone;
    return {
      ...(await this.view(user, row)),
      receipt: receiptOf(row, this.seal.openSecret(earlier.sealed), zone),
    };
  }

  private async create(
    user: AuthUser,
    dto: CreateCaseDto,
    idempotencyKey: string | undefined,
  ): Promise<CaseView & { receipt: Receipt }> {
    const problems = await this.registrationProblems(dto);
    if (problems.length > 0) throw new InvalidInputError(problems);
    const receivedAt = new Date(dto.receivedAt);
    if (dto.unitCode !== user.unitCode) {
      throw new ForbiddenActionError(
        `Pengaduan hanya dapat didaftarkan pada unit Anda sendiri (${user.unitCode})`,
      );
    }

    const trackingCode = newTrackingCode();
    const row = await this.dataSource.transaction(async (em) => {
      // First, so that a configuration change in flight commits before the deadline is counted.
      await this.store.enterWrite(em);
      const revision = await this.revisions.read(em);
      const { zone, workflowVersion, ...rules } = await this.units.clock(dto.unitCode, revision, em);
      // The newest version, unless the unit is kept on an older one while its staff are trained.
      const definition =
        workflowVersion === null
          ? this.registry.current('pengaduan')
          : this.registry.get('pengaduan', workflowVersion);
      const start = initialState(definition);
      const snapshot = restore(definition, start);
      const path = statePath(snapshot.value as StateValue);
      const year = DateTime.fromJSDate(receivedAt, { zone }).year;
      const deadline = startDeadline(
        path,
        stepMeta(snapshot),
        receivedAt,
        zone,
        await this.calendar.daysOff(em, revision),
        rules,
      );
      const caseId = newId();
      // The request's audit row is written with this transaction: it names the new case.
      RequestAudit.current()?.names(caseId);
      // Last, so that the row lock is held as briefly as possible: concurrent registrations of the
      // unit queue here until this one commits, and a rollback returns the number (no gaps).
      const [{ last_value: seq }] = await queryRows<{ last_value: number }>(
        em,
        `INSERT INTO register_counters (unit_code, year, last_value) VALUES ($1, $2, 1)
         ON CONFLICT (unit_code, year) DO UPDATE SET last_value = register_counters.last_value + 1
         RETURNING last_value`,
        [dto.unitCode, year],
      );
      const entity = {
        id: caseId,
        registerNumber: formatRegisterNumber({ unitCode: dto.unitCode, year, seq }),
        registerYear: year,
        registerSeq: seq,
        unitCode: dto.unitCode,
        workflowId: definition.id,
        workflowVersion: definition.version,
        state: path,
        stateValue: start.value,
        context: start.context,
        category: kategoriOf(start.context),
        version: 1,
        receivedAt,
        channel: dto.channel,
        submission: dto.submission,
        complainant: { ...dto.complainant },
        locusProvinceCode: dto.locus.provinceCode,
        locusRegency: dto.locus.regency ?? null,
        rights: dto.rights,
        theme: dto.theme,
        reportedParty: dto.reportedParty,
        summary: dto.summary,
        createdBy: user.id,
        lastEventAt: receivedAt,
        stepStartedAt: receivedAt,
        ...deadlineColumns(deadline),
        slaLevel: 0,
        trackingCodeHash: hashTrackingCode(trackingCode),
      } satisfies Partial<CaseEntity>;
      // The receipt mail is queued in the case's own statement, so it exists exactly when the case does.
      const receipt = receiptOf(entity, trackingCode, zone);
      const writes = dto.complainant.email
        ? [
            queueMailFragment(
              {
                ...receiptMail(receipt),
                audience: 'PENGADU',
                dedupeKeySql: `'receipt:' || upd.id`,
                record: outboxRecord(this.seal, {
                  ...receiptMail(receipt),
                  audience: 'PENGADU',
                  secrets: [trackingCode],
                  to: [dto.complainant.email],
                }),
                now: this.clock.now(),
              },
              whenUnitTellsComplainants('PENERIMAAN'),
            ),
          ]
        : [];
      const saved = await this.store.insertCase(
        em,
        entity,
        {
          seq: 1,
          type: 'REGISTRASI',
          actorId: user.id,
          actorUsername: user.username,
          actorRoles: user.roles,
          actorUnitCode: user.unitCode,
          unitCode: dto.unitCode,
          occurredAt: receivedAt,
          fromState: null,
          toState: path,
          toCategory: 'PROSES',
          fromStepStartedAt: null,
          fromStepDueAt: null,
          workflowVersion: definition.version,
          payload: { submission: dto.submission, channel: dto.channel },
        },
        writes,
        RequestAudit.current()?.entry(HttpStatus.CREATED) ?? null,
      );
      if (idempotencyKey) {
        // A repeated key waits here for its first request's transaction; if that committed, this
        // one rolls back (its register number returns) and answers the first one's case.
        const [kept] = await queryRows<{ caseId: string }>(
          em,
          `INSERT INTO case_registrations (user_id, idempotency_key, case_id, sealed_tracking_code)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id, idempotency_key) DO UPDATE
              SET case_id = EXCLUDED.case_id, sealed_tracking_code = EXCLUDED.sealed_tracking_code, created_at = now()
            WHERE case_registrations.created_at <= now() - interval '${IDEMPOTENCY_HOURS} hours'
           RETURNING case_id AS "caseId"`,
          [user.id, idempotencyKey, caseId, this.seal.sealSecret(trackingCode)],
        );
        if (!kept) throw new RepeatedRegistration(idempotencyKey);
      }
      return { row: saved, zone };
    });
    return { ...(await this.view(user, row.row)), receipt: receiptOf(row.row, trackingCode, row.zone) };
  }

  /**
   * A new receipt for a complainant at the desk who has lost theirs: a new tracking code, which
   * replaces the old one. Only those who may read the complainant's identity may issue it.
   */
  async reissueReceipt(user: AuthUser, id: string): Promise<Receipt> {
    const row = await this.findHandled(user, id, 'Tanda terima hanya untuk petugas yang menangani kasus ini');
    const trackingCode = newTrackingCode();
    await this.store.replaceTrackingCode(row.id, hashTrackingCode(trackingCode));
    return receiptOf(row, trackingCode, (await this.units.clock(row.unitCode)).zone);
  }

  /** One case, with each recommendation letter's dispatch, its status and its reminders. */
  async get(user: AuthUser, id: string) {
    const row = await this.findVisible(user, id);
    return { ...(await this.view(user, row)), dispatches: await this.reminders.dispatchesOf(row.id) };
  }

  /** Whether a case is in one of its workflow version's closed states. */
  isClosed(row: CaseEntity): boolean {
    const definition = this.registry.get(row.workflowId, row.workflowVersion);
    return isClosed(
      definition,
      restore(definition, { value: row.stateValue as never, context: row.context }),
    );
  }

  /**
   * The written letter to the complainant for the case's latest milestone (an incomplete file, a
   * referral, a letter sent, an answer, the closing), for a complainant the desk cannot mail: the
   * same words as the milestone's mail, addressed by name and postal address. It carries the
   * identity, so it is read like the identity: handling roles only, every read audited.
   */
  async complainantLetter(user: AuthUser, id: string, address: string) {
    const row = await this.findVisible(user, id);
    const definition = this.registry.get(row.workflowId, row.workflowVersion);
    const events = await queryRows<{
      type: string;
      fromState: string;
      toState: string;
      occurredAt: Date;
      payload: Record<string, unknown>;
    }>(
      this.dataSource,
      `SELECT type, from_state AS "fromState", to_state AS "toState", occurred_at AS "occurredAt", payload
         FROM case_events WHERE case_id = $1 ORDER BY seq DESC`,
      [row.id],
    );
    const reached = events
      .map((e) => ({ event: e, milestone: definition.milestoneOf(e) }))
      .find((m) => m.milestone !== null);
    if (!reached?.milestone) throw new NotFoundError('Pemberitahuan untuk pengadu');
    // Only now, with a letter to print, is the identity read (and the read recorded).
    const complainant = await this.revealComplainant(user, row.id, address);
    const zone = await this.units.timeZone(row.unitCode);
    // The complainant's own deadline while the file waits for them: the day the case withdraws itself.
    const dueAt = row.deadlineClock === 'PENGADU' ? row.deadlineDueAt : null;
    const letter = milestoneMail(reached.milestone, {
      registerNumber: row.registerNumber,
      at: reached.event.occurredAt,
      zone,
      payload: reached.event.payload ?? {},
      dueAt,
    });
    return {
      milestone: reached.milestone,
      date: reached.event.occurredAt,
      recipient: { name: complainant.name, address: complainant.address ?? null },
      subject: letter.subject,
      text: letter.text,
      unitCode: row.unitCode,
      registerNumber: row.registerNumber,
    };
  }

  /** A case the caller handles: one who may read its complainant's identity, and so speak to them. */
  async findHandled(user: AuthUser, id: string, refusal: string): Promise<CaseEntity> {
    const row = await this.findVisible(user, id);
    if (!mayRevealComplainant(user, row)) throw new ForbiddenActionError(refusal);
    return row;
  }

  async findVisible(user: AuthUser, id: string): Promise<CaseEntity> {
    const row = isUuid(id)
      ? await this.dataSource.getRepository(CaseEntity).findOne({ where: { id } })
      : null;
    // Another unit's case answers exactly like a missing one, so ids reveal nothing.
    if (!row || !Scope.of(user).sees(row.unitCode)) throw new NotFoundError('Kasus');
    return row;
  }

  /** `snapshot`, when the caller already has it (just after a transition), saves resolving it again. */
  async view(
    user: AuthUser,
    row: CaseEntity,
    withComplainant = true,
    snapshot?: AnyMachineSnapshot,
  ): Promise<CaseView> {
    // One case asked for on its own needs its version: an unknown one answers 409 naming it.
    this.registry.get(row.workflowId, row.workflowVersion);
    const [people, [repeated]] = await Promise.all([
      this.people.of([row.assigneeId]),
      row.duplicateOf
        ? queryRows<{ registerNumber: string }>(
            this.dataSource,
            'SELECT register_number AS "registerNumber" FROM cases WHERE id = $1',
            [row.duplicateOf],
          )
        : [],
    ]);
    return this.present(
      user,
      row,
      this.clock.now(),
      {
        withComplainant,
        people,
        duplicateOfNumber: repeated?.registerNumber ?? null,
      },
      snapshot,
    );
  }

  /**
   * A case as the caller sees it, from names already read. A case of a version this release does
   * not know (met in a list during a rolling upgrade) shows without actions.
   */
  private present(
    user: AuthUser,
    row: CaseEntity,
    now: Date,
    options: CaseViewOptions,
    snapshot?: AnyMachineSnapshot,
  ): CaseView {
    if (!this.registry.knows(row.workflowId, row.workflowVersion))
      return presentCase(row, null, user, now, options);
    const definition = this.registry.get(row.workflowId, row.workflowVersion);
    const resolved =
      snapshot ?? restore(definition, { value: row.stateValue as never, context: row.context });
    return presentCase(row, { definition, snapshot: resolved }, user, now, options);
  }

  /** Regency names recorded for a province's complaints that the user may see, most used first. */
  async regenciesOf(user: AuthUser, provinceCode: string): Promise<string[]> {
    const params: unknown[] = [provinceCode];
    const scope = Scope.of(user).where('unit_code', params);
    const found = await queryRows<{ name: string }>(
      this.dataSource,
      `SELECT locus_regency AS name FROM cases
        WHERE locus_province_code = $1 AND locus_regency IS NOT NULL AND ${scope}
        GROUP BY locus_regency ORDER BY count(*) DESC, locus_regency LIMIT 500`,
      params,
    );
    return found.map((r) => r.name);
  }

  /**
   * A list of cases, read on a streaming replica when one is usable, except right after the
   * caller's own write (database/read-replicas.ts): the desk finds the case it just registered.
   */
  list(user: AuthUser, query: ListCasesQuery, address = '') {
    return this.replicas.read(user.id, (db) => this.listOn(db, user, query, address));
  }

  private async listOn(db: DataSource, user: AuthUser, query: ListCasesQuery, address: string) {
    const now = this.clock.now();
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const qb = db.getRepository(CaseEntity).createQueryBuilder('c');
    const own = Scope.of(user).unitFilter;
    if (own) qb.andWhere('c.unit_code = :own', { own });
    if (query.unitCode) qb.andWhere('c.unit_code = :unitCode', { unitCode: query.unitCode });
    if (query.state) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('c.state = :state', { state: query.state })
            .orWhere('c.state LIKE :prefix', { prefix: `${query.state}.%` }),
        ),
      );
    }
    if (query.category) qb.andWhere('c.category = :category', { category: query.category });
    if (query.overdue === 'true') qb.andWhere('c.deadline_due_at < :now AND c.paused_at IS NULL', { now });
    if (query.dueSoon === 'true') {
      qb.andWhere('c.deadline_due_soon_at <= :now AND c.deadline_due_at >= :now AND c.paused_at IS NULL', {
        now,
      });
    }
    // The register's year is the year of receipt in the unit's zone (register-number.ts): a column
    // with an index, where the computed local year was a scan of every case.
    if (query.year) qb.andWhere('c.register_year = :year', { year: query.year });
    if (query.assignee) qb.andWhere('c.assignee_id = :assignee', { assignee: query.assignee });
    // The same locus and theme: the desk's check for a complaint told before (at registration).
    if (query.provinceCode)
      qb.andWhere('c.locus_province_code = :provinceCode', { provinceCode: query.provinceCode });
    if (query.regency)
      qb.andWhere('yk_fold(c.locus_regency) = yk_fold(:regency)', { regency: query.regency.trim() });
    if (query.theme) qb.andWhere('c.theme = :theme', { theme: query.theme });
    if (query.receivedFrom) {
      qb.andWhere(
        `c.received_at >= (:receivedFrom::date)::timestamp AT TIME ZONE (SELECT u.time_zone FROM units u WHERE u.code = c.unit_code)`,
        { receivedFrom: query.receivedFrom },
      );
    }
    const words = searchWords(query.q);
    let ranked = false;
    // What each word finds: itself, and for a word of letters the known words close to it (a typo).
    const found = await wordPatterns(db, words);
    // The cases of the first word found in at most RANKED_AT_MOST of them, read once from the
    // trigram index; when every word is found in thousands, none (the cases are read newest first).
    const anchor = words.length > 0 ? await firstNarrowWord(db, found) : null;
    const broad = words.length > 0 && anchor === null;
    found.forEach((patterns, i) => {
      // Each word in the register number, the regency or the summary (a substring, or a word close
      // to it), or in the name of an institution the case was sent to.
      const params = Object.fromEntries(patterns.map((p, j) => [`like${i}_${j}`, p]));
      const institutions = `SELECT d.case_id FROM dispatches d JOIN institutions i ON i.id = d.institution_id
             WHERE yk_fold(i.name) LIKE yk_fold(:like${i}_0)`;
      if (anchor?.word === i)
        // The anchor's cases as a set: its text matches, united with the institutions' (an OR of
        // the two in the outer query would read every case).
        qb.andWhere(`c.id IN (SELECT unnest(CAST(:anchored AS uuid[])) UNION ${institutions})`, {
          ...params,
          anchored: anchor.caseIds,
        });
      else
        // Any other word is a test of each case's own text (migration 032), on the anchor's few
        // cases or, for a broad search, as the cases are read newest first; the text's indexes
        // are in case_search (migration 030), off the row every event updates.
        qb.andWhere(
          `(${textMatches('c.search_text', patterns, (j) => `:like${i}_${j}`)} OR c.id IN (${institutions}))`,
          params,
        );
    });
    if (query.complainant !== undefined) {
      // A returning complainant, by name: the handling staff of the unit, each search recorded as
      // a reveal of the identities it finds.
      if (!Scope.of(user).handles(user.unitCode)) {
        throw new ForbiddenActionError('Pencarian menurut nama pengadu hanya untuk petugas penanganan unit');
      }
      qb.andWhere('c.unit_code = :handledUnit', { handledUnit: user.unitCode });
      qb.andWhere(
        `c.id IN (SELECT s.case_id FROM case_search s
                   WHERE s.complainant_name LIKE yk_fold(:nameLike) OR yk_fold(:name) <% s.complainant_name)`,
        { nameLike: `%${likeEscaped(query.complainant)}%`, name: query.complainant },
      );
    }
    if (query.mine === 'true') {
      // The work queue: the caller's own unit's open cases given to the caller, and those in steps
      // the caller's roles hold, except officer steps given to someone else.
      const { held, officer } = this.stepsHeldBy(user.roles);
      qb.andWhere('c.unit_code = :mineUnit', { mineUnit: user.unitCode });
      qb.andWhere('c.deadline_due_at IS NOT NULL');
      qb.andWhere(
        new Brackets((w) => {
          w.where('c.assignee_id = :me', { me: user.id });
          if (held.length > 0)
            w.orWhere(
              '(c.state IN (:...held) AND (c.assignee_id IS NULL OR NOT (c.state IN (:...officer))))',
              { held, officer: officer.length > 0 ? officer : [''] },
            );
        }),
      );
    }
    const sort = query.sort;
    if (sort) {
      const column = CASE_SORT_COLUMNS[sort.replace(/^-/, '') as keyof typeof CASE_SORT_COLUMNS];
      qb.orderBy(
        column,
        sort.startsWith('-') ? 'DESC' : 'ASC',
        // Cases without a deadline (closed) last, either way.
        'NULLS LAST',
      );
    } else if (query.mine === 'true') {
      // Overdue first, paused last.
      qb.orderBy('c.paused_at IS NOT NULL', 'ASC').addOrderBy('c.deadline_due_at', 'ASC');
    } else if (words.length > 0) {
      ranked = true;
      qb.orderBy('c.received_at', 'DESC');
    } else if (query.overdue === 'true' || query.dueSoon === 'true') {
      qb.orderBy('c.deadline_due_at', 'ASC');
    } else {
      qb.orderBy('c.received_at', 'DESC');
    }
    qb.addOrderBy('c.id', 'ASC');
    const { total, totalExact } = await countOf(
      db,
      qb,
      query.total === 'exact',
      broad ? RANKED_AT_MOST : LIST_COUNT_CAP,
    );
    // The best match first (how closely the words match the case's text) when there are few
    // enough matches to rank; a broad word that finds thousands lists them newest first.
    if (ranked && totalExact && total <= RANKED_AT_MOST)
      qb.orderBy('word_similarity(yk_fold(:ranked), c.search_text)', 'DESC')
        .setParameter('ranked', words.join(' '))
        .addOrderBy('c.received_at', 'DESC')
        .addOrderBy('c.id', 'ASC');
    const rows = await qb
      .offset((page - 1) * pageSize)
      .limit(pageSize)
      .getMany();
    if (query.complainant !== undefined) {
      await this.audit.record({
        actor: user,
        address,
        action: 'COMPLAINANT_SEARCH',
        method: 'GET',
        path: '/api/cases',
        entityType: 'case',
        entityId: null,
        statusCode: 200,
        // Which identities the search showed; the name searched for is itself identity, not kept.
        details: { found: total, caseIds: rows.map((r) => r.id) },
      });
    }
    const people = await this.people.of(rows.map((r) => r.assigneeId));
    const item = (r: CaseEntity) => this.present(user, r, now, { withComplainant: false, people });
    return { items: rows.map(item), total, totalExact, page, pageSize };
  }

  /** The current deadline, with every day from the step's start to the due day counted or skipped and why. */
  async deadline(user: AuthUser, id: string) {
    const row = await this.findVisible(user, id);
    const deadline = presentDeadline(row, this.clock.now());
    if (!deadline) return { deadline: null, workingDays: 0, days: [] };
    const zone = await this.units.timeZone(row.unitCode);
    const basisAt = row.deadlineBasisAt!;
    const daysOff = await this.calendar.daysOff();
    const named = await queryRows<{ date: string; name: string }>(
      this.dataSource,
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, name FROM calendar_days_off
        WHERE date BETWEEN ($1::timestamptz AT TIME ZONE $3)::date AND ($2::timestamptz AT TIME ZONE $3)::date`,
      [basisAt, row.deadlineDueAt, zone],
    );
    const unit = row.deadlineLimit && 'menit' in row.deadlineLimit ? ('menit' as const) : ('hari' as const);
    const days = explainDays(
      basisAt,
      row.deadlineDueAt!,
      zone,
      daysOff,
      new Map(named.map((d) => [d.date, d.name])),
      unit,
    );
    // A paused clock: what it resumes with, and who may resume it (the pack's LANJUTKAN_JAM events).
    const definition = this.registry.get(row.workflowId, row.workflowVersion);
    const paused = row.pausedAt
      ? {
          left: leftWhenPaused(
            { limit: row.deadlineLimit as Batas, dueAt: row.deadlineDueAt!, pausedAt: row.pausedAt },
            zone,
            daysOff,
          ),
          resumedBy: eventsWithEffect(
            definition,
            restore(definition, { value: row.stateValue as never, context: row.context }),
            'LANJUTKAN_JAM',
          ),
        }
      : null;
    return {
      deadline: {
        ...deadline,
        basisAt: basisAt.toISOString(),
        limit: row.deadlineLimit,
        timeZone: zone,
        pausedAt: row.pausedAt?.toISOString() ?? null,
        paused,
      },
      workingDays: days.filter((d) => d.counted).length,
      days,
    };
  }

  private readonly heldStates = new Map<string, { held: string[]; officer: string[] }>();

  /**
   * Every workflow version's open steps that these roles hold, by state path, and which of them are
   * officer steps (a case in one is its assignee's).
   */
  private stepsHeldBy(roles: readonly string[]): { held: string[]; officer: string[] } {
    const key = [...roles].sort().join(',');
    let steps = this.heldStates.get(key);
    if (!steps) {
      const definitions = this.registry.list();
      steps = {
        held: [...new Set(definitions.flatMap((definition) => statesActedBy(definition, roles)))],
        officer: [...new Set(definitions.flatMap((definition) => officerSteps(definition)))],
      };
      this.heldStates.set(key, steps);
    }
    return steps;
  }

  async history(user: AuthUser, id: string) {
    const row = await this.findVisible(user, id);
    const events = await this.dataSource
      .getRepository(CaseEventEntity)
      .find({ where: { caseId: row.id }, order: { seq: 'ASC' } });
    return events.map((e) => ({
      seq: e.seq,
      type: e.type,
      actor: { id: e.actorId, username: e.actorUsername, roles: e.actorRoles, unitCode: e.actorUnitCode },
      unitCode: e.unitCode,
      occurredAt: e.occurredAt.toISOString(),
      recordedAt: e.recordedAt.toISOString(),
      from: e.fromState,
      to: e.toState,
      workflowVersion: e.workflowVersion,
      payload: e.payload,
    }));
  }
}

/** The words of a search, at most eight (a pasted paragraph is not a search). */
function searchWords(q: string | undefined): string[] {
  return (q ?? '')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 8);
}

/**
 * How many cases the list's filters find: counted up to `cap` (LIST_COUNT_CAP, or RANKED_AT_MOST for a
 * broad search) unless the caller asks for the exact number (`total=exact`), so a page of a national list never counts a million
 * rows; past the cap `totalExact` is false and `total` is the cap.
 */
async function countOf(
  db: DataSource,
  qb: SelectQueryBuilder<CaseEntity>,
  exact: boolean,
  cap: number,
): Promise<{ total: number; totalExact: boolean }> {
  const matching = qb.clone().orderBy().select('1');
  if (!exact) matching.limit(cap + 1);
  const [sql, params] = matching.getQueryAndParameters();
  const [{ n }] = await queryRows<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM (${sql}) matching`,
    params,
  );
  return n > cap && !exact ? { total: cap, totalExact: false } : { total: n, totalExact: true };
}

/** The known words a word with a typo may stand for, at most this many (the closest first). */
const CLOSE_WORDS_AT_MOST = 20;

/**
 * Each word of a search as the LIKE patterns of the folded text it finds: the word itself first,
 * then, for a word of letters, the vocabulary's words close to it (case_search_words, migration
 * 032: every word of four letters or more that a case's text holds). A typo is one lookup among
 * the words, not a similarity measured against the text of every case.
 */
async function wordPatterns(db: DataSource, words: string[]): Promise<string[][]> {
  const patterns = words.map((word) => [`%${likeEscaped(word)}%`]);
  const tolerant = words.map((word, i) => ({ word, i })).filter(({ word }) => typoTolerant(word));
  if (tolerant.length === 0) return patterns;
  const close = await queryRows<{ i: number; word: string }>(
    db,
    `SELECT q.i::int AS i, v.word
       FROM unnest($1::text[], $2::int[]) AS q(word, i)
       CROSS JOIN LATERAL (
         SELECT w.word FROM case_search_words w
          WHERE yk_fold(q.word) <% w.word AND w.word <> yk_fold(q.word)
          ORDER BY word_similarity(yk_fold(q.word), w.word) DESC, w.word
          LIMIT $3) v`,
    [tolerant.map((t) => t.word), tolerant.map((t) => t.i), CLOSE_WORDS_AT_MOST],
  );
  for (const { i, word } of close) patterns[i].push(`%${likeEscaped(word)}%`);
  return patterns;
}

/** The test of one word's patterns (each a parameter, folded in SQL) against a folded text column. */
function textMatches(column: string, patterns: string[], parameter: (j: number) => string): string {
  return `(${patterns.map((_p, j) => `${column} LIKE yk_fold(${parameter(j)})`).join(' OR ')})`;
}

/**
 * The first word whose text matches at most RANKED_AT_MOST cases (all units counted), with those
 * cases: one read of the trigram index that stops at RANKED_AT_MOST + 1; null when every word
 * matches more.
 */
async function firstNarrowWord(
  db: DataSource,
  found: string[][],
): Promise<{ word: number; caseIds: string[] } | null> {
  for (const [word, patterns] of found.entries()) {
    const test = textMatches('w.search_text', patterns, (j) => `$${j + 2}`);
    const rows = await queryRows<{ id: string }>(
      db,
      `SELECT w.case_id AS id FROM case_search w WHERE ${test} LIMIT $1`,
      [RANKED_AT_MOST + 1, ...patterns],
    );
    if (rows.length <= RANKED_AT_MOST) return { word, caseIds: rows.map((r) => r.id) };
  }
  return null;
}

/**
 * A word of letters (four or more) also finds the words close to it: a typo. The vocabulary keeps
 * the same kind of word from the cases' texts (yk_search_words(), migration 032).
 */
function typoTolerant(word: string): boolean {
  return /^\p{L}{4,}$/u.test(word);
}

/** A LIKE pattern's own characters taken literally; yk_fold() (migration 024) folds it in SQL. */
function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** Whether two fields' problems concern the same value: the same field, or one inside the other. */
function sameOrWithin(a: string, b: string): boolean {
  const within = (outer: string, inner: string) =>
    inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return a === b || within(a, b) || within(b, a);
}
