import { HttpException, Injectable } from '@nestjs/common';
import { isUuid } from '../database/query-results';
import { DataSource, EntityManager } from 'typeorm';
import type { AnyMachineSnapshot } from 'xstate';
import {
  checkEvent,
  decide,
  restore,
  stepMeta,
  WorkflowRegistry,
  type Actor,
  type EffectKind,
  type PayloadCheck,
} from '../../workflows';
import { CalendarService } from '../calendars/calendar.service';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import {
  ConflictError,
  EventNotAllowedError,
  ForbiddenActionError,
  InvalidInputError,
  NotFoundError,
  VersionConflictError,
  type FieldProblem,
} from '../common/errors';
import { checkInto, validateInto } from '../common/validation';
import { pauseDeadline, resumeDeadline, startDeadline, type StoredDeadline } from '../sla/deadline-policy';
import { UnitDirectory } from '../units/unit-directory';
import { whenUnitTellsComplainants } from '../units/unit-statements';
import { AssignDto, BASE_FIELDS, EventBase, StopRemindersDto } from './case-event.dtos';
import { addWorkingDays } from '../sla/working-time';
import { ASSIGNED, CaseStore, REMINDERS_STOPPED, type StoredCase } from './case-store';
import type { StatementFragment } from '../database/sql';
import { AppConfig } from '../config/app-config';
import { ConfigurationRevision } from '../config/configuration-revision';
import { MailSeal } from '../mail/mail-seal';
import { MetricsService } from '../metrics/metrics.service';
import { outboxRecord } from '../mail/outbox.service';
import { cancelPendingFragment, queueMailFragment } from '../mail/outbox-statements';
import { surveyInvitationFragment } from '../complainants/survey-statements';
import {
  closeDispatchFragment,
  openDispatchesFragment,
  reminderKeysFragment,
  stopDispatchesFragment,
  waitingReminderKeysFragment,
} from '../reminders/dispatch-statements';
import { milestoneMail, SURVEYED, type EventMilestone } from '../complainants/milestones';
import { hashSurveyToken, newSurveyToken, surveyPageUrl } from '../complainants/tracking-code';
import { ReminderService } from '../reminders/reminder.service';
import { deadlineColumns, storedDeadline, type CaseView } from './case-view';
import type { CaseEntity } from './case.entity';
import { ASSIGNERS, holdsAny, OFFICERS, REMINDER_DECIDERS, Scope } from '../common/access-policy';
import { CasesService, CLOCK_SKEW_MS } from './cases.service';
import { queryRows } from '../database/sql';
import type { StateValue } from 'xstate';

/**
 * Where each effect a workflow pack may declare becomes rows (workflows/types.ts): a new effect
 * kind does not compile until it is handled here, and the conformance suite refuses a pack that
 * declares one that is not.
 */
export const HANDLED_EFFECTS = {
  BUKA_PENGIRIMAN:
    'dispatchWrites: one dispatch per institution of the letter round, and the signed letter mailed to each',
  TUTUP_PENGIRIMAN: "dispatchWrites: the institution's dispatch closed, its reminders cancelled",
  TUNDA_JAM: 'applyTo: pauseDeadline',
  LANJUTKAN_JAM: 'applyTo: resumeDeadline',
  PINDAH_UNIT: "applyTo: the case's unit and its clock",
  TINDAK_LANJUT: 'applyTo: firstResponseAt, the first follow-up',
  TUGASKAN: 'applyTo: assigneeId, the previous one kept in the history row',
  DUPLIKAT: 'applyTo: duplicateOf',
} as const satisfies Record<EffectKind, string>;

/** What a late record adds to an event's history, or why the event is refused without it. */
interface Lateness {
  record: { dicatatPada: string; alasan: string } | null;
  problems: FieldProblem[];
}
const NOT_LATE: Lateness = { record: null, problems: [] };

/** Who performs an event: a signed-in user, or the system itself for time-driven events. */
export interface EventActor {
  id: string | null;
  username: string;
  roles: Actor[];
  unitCode: string | null;
  /** Where the request came from; null for the system's own events. */
  address: string | null;
}

export const SYSTEM_ACTOR: EventActor = {
  id: null,
  username: 'sistem',
  roles: ['SISTEM'],
  unitCode: null,
  address: null,
};

/** How often an event without If-Match is re-evaluated when another writer changed the case first. */
const RETRIES = 3;

/** `"3"`, `W/"3"` or `3`; anything else is a client error naming the header. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = header.trim().match(/^(?:W\/)?"?(\d+)"?$/);
  if (!match) throw InvalidInputError.field('If-Match', 'harus versi kasus, mis. "3"');
  return Number(match[1]);
}

@Injectable()
export class CaseEventsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: WorkflowRegistry,
    private readonly calendar: CalendarService,
    private readonly units: UnitDirectory,
    private readonly cases: CasesService,
    private readonly store: CaseStore,
    private readonly reminders: ReminderService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly seal: MailSeal,
    private readonly metrics: MetricsService,
    private readonly revisions: ConfigurationRevision,
  ) {}

  /**
   * Applies one event with optimistic concurrency: read the case, compare If-Match, ask the
   * workflow (409), check the role (403) and the payload (400), then write state, deadline and
   * history in one compare-and-set statement. Losing the race with If-Match is a 409; without it,
   * the event is evaluated again on the newer state.
   */
  async apply(
    user: AuthUser,
    caseId: string,
    body: Record<string, unknown>,
    ifMatch: number | undefined,
    address: string,
  ): Promise<CaseView> {
    const type = this.metrics.eventLabel(body.type);
    try {
      const view = await this.applyCounted(user, caseId, body, ifMatch, address);
      this.metrics.events.inc({ type, outcome: 'applied' });
      return view;
    } catch (error) {
      this.metrics.events.inc({
        type,
        outcome: error instanceof HttpException ? String(error.getStatus()) : 'error',
      });
      throw error;
    }
  }

  private async applyCounted(
    user: AuthUser,
    caseId: string,
    body: Record<string, unknown>,
    ifMatch: number | undefined,
    address: string,
  ): Promise<CaseView> {
    const actor = actorOf(user, address);
    const write = async (current: StoredCase) => {
      const saved = await this.applyTo(this.dataSource.manager, current, actor, body, {
        requireOwnUnit: true,
      });
      return saved && this.cases.view(user, saved.row, true, saved.snapshot);
    };
    // The case as this instance last wrote it saves the read: its compare-and-set confirms a
    // success; anything else (a refusal, a stale version, another instance's write) is decided
    // again below on a fresh read, so an answer never rests on the remembered row alone.
    const remembered = this.store.lastWritten(caseId);
    const usable =
      remembered &&
      Scope.of(user).sees(remembered.unitCode) &&
      (ifMatch === undefined || ifMatch === remembered.version);
    if (usable) {
      try {
        const view = await write(remembered);
        if (view) return view;
      } catch (error) {
        // A refusal is decided again on the fresh read. A database error is not retried: the
        // statement may have committed before the connection broke.
        if (!(error instanceof HttpException)) throw error;
      }
      this.store.forgetWritten(caseId);
    }
    return this.writeWithRetries(user, caseId, ifMatch, write);
  }

  /**
   * The optimistic write of a case by a user: read it (404 if not the caller's to see), compare
   * If-Match (409 before anything else is looked at), let `write` decide and commit; when another
   * writer got there first, a stale If-Match is a 409, and without one the write is decided again
   * on the newer case.
   */
  private async writeWithRetries(
    user: AuthUser,
    caseId: string,
    ifMatch: number | undefined,
    write: (current: StoredCase) => Promise<CaseView | null>,
  ): Promise<CaseView> {
    for (let attempt = 0; attempt < RETRIES; attempt += 1) {
      const current = isUuid(caseId) ? await this.store.find(this.dataSource, caseId) : null;
      if (!current || !Scope.of(user).sees(current.unitCode)) throw new NotFoundError('Kasus');
      if (ifMatch !== undefined && ifMatch !== current.version)
        throw new VersionConflictError(ifMatch, current.version);
      const view = await write(current);
      if (view) return view;
      if (ifMatch !== undefined) {
        const now = await this.store.find(this.dataSource, caseId);
        throw new VersionConflictError(ifMatch, now?.version ?? ifMatch + 1);
      }
    }
    throw new ConflictError('Kasus sedang diubah oleh pengguna lain; muat ulang lalu coba lagi');
  }

  /**
   * For the system's own events (the sweep), inside the caller's transaction, computed from the
   * configuration revision the caller read in it. Null if the case moved on.
   */
  async applyAsSystem(
    em: EntityManager,
    current: CaseEntity,
    body: Record<string, unknown>,
    configRevision: string,
  ): Promise<CaseEntity | null> {
    const read: StoredCase = { ...current, configRevision };
    return (await this.applyTo(em, read, SYSTEM_ACTOR, body, { requireOwnUnit: false }))?.row ?? null;
  }

  private async applyTo(
    em: EntityManager,
    current: StoredCase,
    actor: EventActor,
    body: Record<string, unknown>,
    options: { requireOwnUnit: boolean },
  ): Promise<{ row: CaseEntity; snapshot: AnyMachineSnapshot } | null> {
    if (typeof body.type !== 'string' || body.type.trim() === '')
      throw InvalidInputError.field('type', 'wajib diisi');
    const type = body.type;
    const definition = this.registry.get(current.workflowId, current.workflowVersion);
    if (!definition.eventTypes.includes(type)) {
      throw InvalidInputError.field(
        'type',
        `jenis event tidak dikenal; yang dikenal: ${definition.eventTypes.join(', ')}`,
      );
    }
    const stored = { value: current.stateValue as never, context: current.context };
    // Whether the state allows the type and the actor may send it, before the payload is read.
    const before = restore(definition, stored);
    const check = checkEvent(definition, before, type, actor.roles);
    if (check.kind === 'not-allowed') throw new EventNotAllowedError(type, current.state, check.allowed);
    if (check.kind === 'forbidden') {
      throw new ForbiddenActionError(
        `Event ${type} pada status ${current.state} hanya untuk peran: ${check.roles.join(', ')}`,
        { requiredRoles: check.roles },
      );
    }
    if (options.requireOwnUnit && actor.unitCode !== current.unitCode) {
      throw new ForbiddenActionError(
        `Kasus ini ditangani oleh ${current.unitCode}; hanya unit tersebut yang dapat memprosesnya`,
      );
    }
    // What every event may carry, then the version's own payload of the event (its pack's class).
    // Both parts are checked before either is refused: one 400 names every wrong field of the body.
    const [base, own] = splitBody(body);
    const common = checkInto(EventBase, base);
    const carried = checkInto(definition.payloads[type], own);
    const problems = [...common.problems, ...carried.problems];
    if (problems.length > 0) throw new InvalidInputError(problems);
    const payload = { ...common.instance, ...carried.instance } as Record<string, unknown>;
    const occurredAt = this.occurredAt(payload.occurredAt as string | undefined, current);
    // Everything below is computed from the configuration of this revision, and written only if
    // it still stands (CaseStore.commitEvent).
    const revision = current.configRevision ?? (await this.revisions.read(em));
    // The system's own events (the sweep) are dated when they fell due, by design: never "late".
    const late = actor.id
      ? await this.lateRecord(
          occurredAt,
          current.unitCode,
          payload.alasanTerlambat as string | undefined,
          revision,
        )
      : NOT_LATE;
    // A late event's missing reason and the payload's refused fields, in one 400.
    const refused = [
      ...late.problems,
      ...(await this.payloadProblems(em, current, definition.checks[type] ?? [], payload)),
    ];
    if (refused.length > 0) throw new InvalidInputError(refused);

    const decision = decide(definition, stored, { ...payload, type }, actor.roles, before, check);
    if (decision.kind !== 'ok')
      throw new EventNotAllowedError(
        type,
        current.state,
        decision.kind === 'not-allowed' ? decision.allowed : [],
      );
    const { after, toState: toPath, category, effects } = decision;
    const afterContext = after.context as object;
    const has = (effect: EffectKind) => effects.includes(effect);
    const toUnit = has('PINDAH_UNIT') ? String(payload.unitCode) : current.unitCode;
    const { zone, ...rules } = await this.units.clock(toUnit, revision);
    const daysOff = await this.calendar.daysOff(undefined, revision);
    const enteredNewStep = toPath !== current.state || has('PINDAH_UNIT');
    let deadline: StoredDeadline | null = storedDeadline(current);
    if (enteredNewStep) deadline = startDeadline(toPath, stepMeta(after), occurredAt, zone, daysOff, rules);
    else if (has('TUNDA_JAM') && deadline) deadline = pauseDeadline(deadline, occurredAt);
    else if (has('LANJUTKAN_JAM') && deadline)
      deadline = resumeDeadline(deadline, occurredAt, zone, daysOff, rules);

    const { type: _type, occurredAt: _at, alasanTerlambat: _reason, ...given } = payload;
    // The head's order names the officer; the history keeps whom the case was taken from.
    const assigns = has('TUGASKAN') && payload.assigneeId !== undefined;
    const rest = {
      ...given,
      ...(late.record ? { dicatatTerlambat: late.record } : {}),
      ...(assigns ? { fromAssigneeId: current.assigneeId } : {}),
    };
    const writes = await this.dispatchWrites(
      effects,
      payload,
      occurredAt,
      toUnit,
      (after.context as { putaranSurat: number }).putaranSurat,
      revision,
      current.registerNumber,
    );
    writes.push(
      ...(await this.openDispatchesAtClosing(current, decision.closes, actor, payload, occurredAt)),
    );
    writes.push(
      ...complainantNotice(
        this.seal,
        current,
        definition.milestoneOf({ type, fromState: current.state, toState: toPath }),
        payload,
        occurredAt,
        zone,
        deadline?.dueAt ?? null,
        this.clock.now(),
        this.config.PUBLIC_URL,
      ),
    );
    const row = await this.store.commitEvent(
      em,
      { row: current, configRevision: revision },
      {
        id: current.id,
        state: toPath,
        stateValue: after.value as StateValue,
        context: afterContext,
        category,
        version: current.version + 1,
        unitCode: toUnit,
        lastEventAt: occurredAt,
        // The complaint's first follow-up (an institution's answer, a mediation agreement), once.
        ...(has('TINDAK_LANJUT') && !current.firstResponseAt ? { firstResponseAt: occurredAt } : {}),
        stepStartedAt: enteredNewStep ? occurredAt : current.stepStartedAt,
        ...deadlineColumns(deadline),
        ...(enteredNewStep ? { slaLevel: 0 } : {}),
        ...(assigns ? { assigneeId: String(payload.assigneeId) } : {}),
        ...(has('DUPLIKAT') && payload.duplicateOf ? { duplicateOf: payload.duplicateOf as string } : {}),
      },
      {
        caseId: current.id,
        type,
        actorId: actor.id,
        actorUsername: actor.username,
        actorRoles: actor.roles,
        actorUnitCode: actor.unitCode,
        unitCode: toUnit,
        occurredAt,
        fromState: current.state,
        toState: toPath,
        toCategory: category,
        fromStepStartedAt: current.stepStartedAt,
        fromStepDueAt: current.deadlineDueAt,
        workflowVersion: current.workflowVersion,
        payload: has('PINDAH_UNIT') ? { ...rest, fromUnitCode: current.unitCode } : rest,
      },
      {
        actor: actor.id
          ? { id: actor.id, username: actor.username, roles: actor.roles as never, unitCode: actor.unitCode! }
          : null,
        address: actor.address,
        action: `EVENT ${type}`,
        method: actor.id ? 'POST' : null,
        path: actor.id ? `/api/cases/${current.id}/events` : null,
        entityType: 'case',
        entityId: current.id,
        statusCode: 200,
        details: {
          from: current.state,
          to: toPath,
          version: current.version + 1,
          ...(actor.id ? {} : { actor: 'SISTEM' }),
        },
      },
      writes,
    );
    return row ? { row, snapshot: after } : null;
  }

  /**
   * Closing a case whose institutions have not all answered is a decision, not a silence: the
   * event says whether their reminders stop (HENTIKAN, each stopped dispatch keeps the reason) or
   * go on (LANJUTKAN: the institution still owes its answer, and a unit head may stop them later).
   * The system's own closings stop them.
   */
  private async openDispatchesAtClosing(
    current: CaseEntity,
    closes: boolean,
    actor: EventActor,
    payload: Record<string, unknown>,
    at: Date,
  ): Promise<StatementFragment[]> {
    if (!closes) return [];
    const waiting = await this.reminders.waitingOf(current.id);
    if (!waiting.length) return [];
    const decision = (payload.pengingatTerbuka as string | undefined) ?? (actor.id ? undefined : 'HENTIKAN');
    if (!decision) {
      throw InvalidInputError.field(
        'pengingatTerbuka',
        `${waiting.length} instansi belum menanggapi (${waiting.map((w) => w.institutionName).join(', ')}): ` +
          'pilih HENTIKAN untuk menghentikan pengingatnya atau LANJUTKAN untuk tetap mengingatkan',
      );
    }
    if (decision !== 'HENTIKAN') return [];
    return [
      stopDispatchesFragment({
        dispatchId: null,
        at,
        reason: `kasus ditutup (${String(payload.type)}) sebelum instansi menanggapi`,
        userId: actor.id,
      }),
      cancelPendingFragment(waitingReminderKeysFragment(null), 'dibatalkan: kasus ditutup'),
    ];
  }

  /**
   * A unit head stops the reminders to one institution that has not answered, with the reason:
   * the dispatch is marked stopped, its queued reminders are cancelled, and the case's history
   * and the audit log record the decision, all in one compare-and-set statement.
   */
  async stopReminders(
    user: AuthUser,
    caseId: string,
    dispatchId: string,
    body: Record<string, unknown>,
    ifMatch: number | undefined,
    address: string,
  ): Promise<CaseView> {
    return this.writeWithRetries(user, caseId, ifMatch, async (current) => {
      if (user.unitCode !== current.unitCode || !holdsAny(user.roles, REMINDER_DECIDERS)) {
        throw new ForbiddenActionError(
          `Pengingat hanya dapat dihentikan oleh pimpinan unit yang menangani kasus ini (${REMINDER_DECIDERS.join(', ')})`,
          { requiredRoles: [...REMINDER_DECIDERS] },
        );
      }
      const { reason } = validateInto(StopRemindersDto, body);
      const dispatch = (await this.reminders.waitingOf(current.id)).find((d) => d.id === dispatchId);
      if (!dispatch) {
        const known = (await this.reminders.dispatchesOf(current.id)).some((d) => d.id === dispatchId);
        if (!known) throw new NotFoundError('Pengiriman surat');
        throw new ConflictError('Instansi ini sudah menanggapi atau pengingatnya sudah dihentikan');
      }
      const at = this.clock.now();
      return this.commitUserRecord(
        user,
        current,
        {
          type: REMINDERS_STOPPED,
          actor: actorOf(user, address),
          at,
          payload: {
            dispatchId: dispatch.id,
            institutionId: dispatch.institutionId,
            letterNumber: dispatch.letterNumber,
            reason: reason.trim(),
          },
          path: `/api/cases/${current.id}/dispatches/${dispatch.id}/stop`,
        },
        [
          stopDispatchesFragment({ dispatchId: dispatch.id, at, reason: reason.trim(), userId: user.id }),
          cancelPendingFragment(waitingReminderKeysFragment(dispatch.id), 'dibatalkan: pengingat dihentikan'),
        ],
      );
    });
  }

  /**
   * The unit's KASUBBID or KABID gives an open case to one of the unit's officers, or back to the
   * unit's shared queue (null): a new version of the case with a history row saying who gave it
   * from whom to whom. Giving it to whom it already belongs to changes nothing.
   */
  async assign(
    user: AuthUser,
    caseId: string,
    body: Record<string, unknown>,
    ifMatch: number | undefined,
    address: string,
  ): Promise<CaseView> {
    return this.writeWithRetries(user, caseId, ifMatch, async (current) => {
      if (user.unitCode !== current.unitCode || !holdsAny(user.roles, ASSIGNERS)) {
        throw new ForbiddenActionError(
          `Penugasan kasus hanya oleh pimpinan unit yang menangani kasus ini (${ASSIGNERS.join(', ')})`,
          { requiredRoles: [...ASSIGNERS] },
        );
      }
      const { userId } = validateInto(AssignDto, body);
      if (this.cases.isClosed(current))
        throw new ConflictError('Kasus sudah ditutup; tidak dapat ditugaskan');
      if (userId !== null) await assertUnitOfficer(this.dataSource, 'userId', userId, current.unitCode);
      if (userId === current.assigneeId) return await this.cases.view(user, current, true);
      return this.commitUserRecord(user, current, {
        type: ASSIGNED,
        actor: actorOf(user, address),
        at: this.clock.now(),
        payload: { fromAssigneeId: current.assigneeId, assigneeId: userId },
        changes: { assigneeId: userId },
        path: `/api/cases/${current.id}/assignee`,
        method: 'PUT',
      });
    });
  }

  /**
   * A user's record in a case's history that is no workflow event (CaseStore.commitRecord), on
   * the case as read; the case after it as the caller sees it, or null when another writer got
   * there first (writeWithRetries decides again).
   */
  private async commitUserRecord(
    user: AuthUser,
    current: StoredCase,
    record: Parameters<CaseStore['commitRecord']>[2],
    writes: StatementFragment[] = [],
  ): Promise<CaseView | null> {
    const saved = await this.store.commitRecord(
      this.dataSource.manager,
      { row: current, configRevision: current.configRevision! },
      record,
      writes,
    );
    return saved && this.cases.view(user, saved, true);
  }

  /**
   * A letter round (BUKA_PENGIRIMAN) opens one dispatch per institution (due in 30 working days);
   * an institution's answer (TUTUP_PENGIRIMAN) closes its dispatch and cancels its reminders still
   * waiting in the outbox. Both inside the event's own statement.
   */
  private async dispatchWrites(
    effects: readonly EffectKind[],
    payload: Record<string, unknown>,
    at: Date,
    unitCode: string,
    round: number,
    configRevision: string,
    registerNumber: string,
  ): Promise<StatementFragment[]> {
    const writes: StatementFragment[] = [];
    if (effects.includes('BUKA_PENGIRIMAN')) {
      const plan = await this.reminders.planDispatch(unitCode, at, configRevision);
      const letterAttachmentId = (payload.letterAttachmentId as string | undefined) ?? null;
      writes.push(
        openDispatchesFragment({
          round,
          letterNumber: payload.letterNumber,
          institutionIds: payload.institutionIds as string[],
          letterAttachmentId,
          at,
          dueAt: plan.dueAt,
          nextCheckAt: plan.nextCheckAt,
        }),
      );
      if (letterAttachmentId)
        writes.push(
          ...(await this.reminders.coverLetters({
            unitCode,
            registerNumber,
            institutionIds: payload.institutionIds as string[],
            letterNumber: String(payload.letterNumber),
            attachmentId: letterAttachmentId,
            round,
            sentAt: at,
            dueAt: plan.dueAt,
            now: this.clock.now(),
          })),
        );
    }
    if (effects.includes('TUTUP_PENGIRIMAN')) {
      const institution = String(payload.institutionId);
      writes.push(
        closeDispatchFragment(institution, at),
        cancelPendingFragment(reminderKeysFragment(institution), 'dibatalkan: instansi sudah menanggapi'),
      );
    }
    return writes;
  }

  /** occurredAt: back-dating is normal (letters recorded later), but not before the last event nor in the future. */
  private occurredAt(raw: string | undefined, current: CaseEntity): Date {
    const now = this.clock.now();
    if (raw === undefined) return now < current.lastEventAt ? current.lastEventAt : now;
    const at = new Date(raw);
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS)
      throw InvalidInputError.field('occurredAt', 'tidak boleh di masa depan');
    if (at < current.lastEventAt) {
      throw InvalidInputError.field(
        'occurredAt',
        `tidak boleh sebelum event terakhir kasus ini (${current.lastEventAt.toISOString()})`,
      );
    }
    return at;
  }

  /**
   * An event dated more than one working day before it is recorded is a late record: it needs a
   * reason, and the history marks it ("dicatat terlambat") with when it was really recorded, so a
   * back-dated event cannot quietly turn an overdue step into one finished on time. Without its
   * reason, the problem to name in the event's 400.
   */
  private async lateRecord(
    occurredAt: Date,
    unitCode: string,
    reason: string | undefined,
    configRevision: string,
  ): Promise<Lateness> {
    const now = this.clock.now();
    const { zone } = await this.units.clock(unitCode, configRevision);
    const graceEnds = addWorkingDays(
      occurredAt,
      1,
      zone,
      await this.calendar.daysOff(undefined, configRevision),
    ).dueAt;
    if (now <= graceEnds) return NOT_LATE;
    if (!reason?.trim()) {
      const problem = {
        field: 'alasanTerlambat',
        reason: 'wajib diisi: kejadian ini dicatat lebih dari satu hari kerja setelah terjadi',
      };
      return { record: null, problems: [problem] };
    }
    return { record: { dicatatPada: now.toISOString(), alasan: reason.trim() }, problems: [] };
  }

  /**
   * The version's checks of a payload against the records (PayloadCheck in workflows/types.ts):
   * every check judged, so that one 400 names every field a check refuses.
   */
  private async payloadProblems(
    em: EntityManager,
    current: CaseEntity,
    checks: readonly PayloadCheck[],
    payload: Record<string, unknown>,
  ): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    for (const check of checks) problems.push(...(await this.checkProblems(em, current, check, payload)));
    return problems;
  }

  /** What one check refuses in a payload: its first reason (or, for a list, each entry's). */
  private async checkProblems(
    em: EntityManager,
    current: CaseEntity,
    check: PayloadCheck,
    payload: Record<string, unknown>,
  ): Promise<FieldProblem[]> {
    const value = payload[check.field];
    const refuse = (field: string, reason: string) => [{ field, reason }];
    if (check.kind === 'PILIHAN') {
      if (!check.values.includes(String(value)))
        return refuse(check.field, `harus salah satu dari: ${check.values.join(', ')}`);
    } else if (check.kind === 'TIDAK_BERSAMA') {
      if (value === check.value && payload[check.with] === check.withValue)
        return refuse(check.with, check.reason);
    } else if (check.kind === 'INSTITUSI_TERDAFTAR') {
      const ids = value as string[];
      const found = await queryRows<{ id: string }>(
        em,
        'SELECT id FROM institutions WHERE id = ANY($1::uuid[])',
        [ids],
      );
      return ids
        .filter((id) => !found.some((f) => f.id === id))
        .map((id) => ({
          field: `${check.field}[${ids.indexOf(id)}]`,
          reason: `instansi ${id} tidak ditemukan`,
        }));
    } else if (check.kind === 'INSTITUSI_DITUNGGU') {
      const context = current.context as { menunggu?: string[] };
      if (!(context.menunggu ?? []).includes(String(value)))
        return refuse(check.field, 'instansi ini tidak sedang ditunggu tanggapannya untuk kasus ini');
    } else if (check.kind === 'PETUGAS_UNIT') {
      // A string by now: the pack's payload class validated it as an id.
      if (value !== undefined) return unitOfficerProblems(em, check.field, value as string, current.unitCode);
    } else if (check.kind === 'KASUS_UNIT') {
      const wanted = payload[check.when.field] === check.when.value;
      if (value === undefined)
        return wanted ? refuse(check.field, `wajib diisi untuk alasan ${check.when.value}`) : [];
      if (!wanted) return refuse(check.field, `hanya untuk alasan ${check.when.value}`);
      if (value === current.id) return refuse(check.field, 'tidak boleh kasus ini sendiri');
      const [other] = await queryRows<{ id: string }>(
        em,
        'SELECT id FROM cases WHERE id = $1 AND unit_code = $2',
        [value, current.unitCode],
      );
      if (!other) return refuse(check.field, `kasus tidak ditemukan di ${current.unitCode}`);
    } else if (check.kind === 'SURAT_PDF') {
      if (value === undefined) return [];
      const [letter] = await queryRows<{ contentType: string }>(
        em,
        'SELECT content_type AS "contentType" FROM case_attachments WHERE id = $1 AND case_id = $2',
        [value, current.id],
      );
      if (!letter) return refuse(check.field, 'bukan lampiran kasus ini');
      if (letter.contentType !== 'application/pdf')
        return refuse(check.field, 'surat bertanda tangan harus berkas PDF');
    } else if (check.kind === 'UNIT_TUJUAN') {
      const target = String(value);
      const [unit] = await queryRows<{ code: string }>(
        em,
        'SELECT code FROM units WHERE code = $1 AND active',
        [target],
      );
      if (!unit) return refuse(check.field, `unit ${target} tidak dikenal`);
      if (target === current.unitCode) return refuse(check.field, 'kasus sudah berada di unit ini');
      if (target !== 'PUSAT' && current.unitCode !== 'PUSAT')
        return refuse(check.field, 'pelimpahan hanya antara Direktorat (PUSAT) dan Kantor Wilayah');
    }
    return [];
  }
}

/**
 * The complainant's mail for a milestone, queued in the event's own statement: it exists exactly
 * when the event does, once (its key is the case and the event's seq), and only when the case's
 * unit tells its complainants of that milestone and the complainant gave an email. Closing mails
 * carry a single-use survey link, whose hash is stored in the same statement.
 */
function complainantNotice(
  seal: MailSeal,
  current: CaseEntity,
  milestone: EventMilestone | null,
  payload: Record<string, unknown>,
  at: Date,
  zone: string,
  dueAt: Date | null,
  now: Date,
  publicUrl: string,
): StatementFragment[] {
  const email = (current.complainant as { email?: string }).email;
  if (!milestone || !email) return [];
  const survey = SURVEYED.includes(milestone) ? newSurveyToken() : null;
  const surveyUrl = survey ? surveyPageUrl(publicUrl, survey) : null;
  const mail = milestoneMail(milestone, {
    registerNumber: current.registerNumber,
    at,
    zone,
    payload,
    dueAt,
    surveyUrl,
  });
  const record = outboxRecord(seal, {
    ...mail,
    audience: 'PENGADU',
    to: [email],
    secrets: surveyUrl ? [surveyUrl] : [],
  });
  const tells = whenUnitTellsComplainants(milestone);
  const writes: StatementFragment[] = [
    queueMailFragment(
      {
        kind: 'PENGADU',
        audience: 'PENGADU',
        dedupeKeySql: `'complainant:' || upd.id || ':' || upd."version"`,
        record,
        now,
      },
      tells,
    ),
  ];
  if (survey) writes.push(surveyInvitationFragment(hashSurveyToken(survey), now, tells));
  return writes;
}

/** The problem, on `field`, with anyone but an active officer (PETUGAS or KASUBBID) of the unit. */
async function unitOfficerProblems(
  db: EntityManager | DataSource,
  field: string,
  userId: string,
  unitCode: string,
): Promise<FieldProblem[]> {
  const [officer] = isUuid(userId)
    ? await queryRows<{ id: string }>(
        db,
        `SELECT id FROM users WHERE id = $1 AND unit_code = $2 AND active AND roles && $3::text[]`,
        [userId, unitCode, OFFICERS],
      )
    : [];
  return officer
    ? []
    : [{ field, reason: `harus petugas aktif (${OFFICERS.join(' atau ')}) dari ${unitCode}` }];
}

/** Refuses (400 on `field`) anyone but an active officer (PETUGAS or KASUBBID) of the unit. */
export async function assertUnitOfficer(
  db: EntityManager | DataSource,
  field: string,
  userId: string,
  unitCode: string,
): Promise<void> {
  const problems = await unitOfficerProblems(db, field, userId, unitCode);
  if (problems.length > 0) throw new InvalidInputError(problems);
}

/** A signed-in user as the actor of a write, with the address the request came from. */
function actorOf(
  user: AuthUser,
  address: string,
): EventActor & { id: string; unitCode: string; address: string } {
  return { id: user.id, username: user.username, roles: user.roles, unitCode: user.unitCode, address };
}

/** A body's fields every event may carry, and those of its event's own payload. */
function splitBody(body: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  const base: Record<string, unknown> = {};
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) (BASE_FIELDS.includes(key) ? base : own)[key] = value;
  return [base, own];
}
