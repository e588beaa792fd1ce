import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { restore, stepMeta, timeoutEvent, WorkflowRegistry } from '../../workflows';
import { CalendarService } from '../calendars/calendar.service';
import { CaseEventsService } from '../cases/case-events.service';
import { CaseStore } from '../cases/case-store';
import { storedDeadline } from '../cases/case-view';
import type { CaseEntity } from '../cases/case.entity';
import { Clock } from '../common/clock';
import { JobRuns } from '../jobs/job-runs';
import { eachIsolated, ITEM_TRIES, retryAt } from '../jobs/item-isolation';
import { Lifecycle } from '../common/lifecycle';
import { ConfigurationRevision } from '../config/configuration-revision';
import { escapeHtml, formatLocal } from '../common/format';
import { OutboxService } from '../mail/outbox.service';
import { NotificationsService } from '../notifications/notifications.service';
import { UnitDirectory } from '../units/unit-directory';
import { escalationRoles, holderRoles } from './escalation-policy';
import { addWorkingDays, type DaysOff } from './working-time';
import { queryRows } from '../database/sql';
import { describeError } from '../common/error-description';

const BATCH = 200;
/** Failed checks of one case in a row before it is parked and the administrators are told. */
export const SLA_CHECK_TRIES = ITEM_TRIES;

export interface SweepResult {
  checked: number;
  withdrawn: number;
  escalations: number;
  /** Cases whose check failed this sweep: each rolled back alone and retried later. */
  failed: number;
  /** Of those, the cases parked now after SLA_CHECK_TRIES failures. */
  parked: number;
}

/**
 * The SLA sweep: only cases whose `next_sla_check_at` has come are read (an index range scan),
 * claimed with FOR UPDATE SKIP LOCKED so instances share the work and never act twice; what an
 * escalation does is keyed by (case, step, level), so a retry or a restart after downtime raises
 * each escalation once, not once per missed sweep. Each case is handled under its own savepoint:
 * one that fails is rolled back alone, retried later with back-off and parked after a few
 * failures, and the rest of the batch goes on. Cases on a workflow version this instance does not
 * know are left to an instance that knows it.
 */
@Injectable()
export class SlaSweepService {
  private readonly logger = new Logger('SlaSweep');

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: CaseStore,
    private readonly events: CaseEventsService,
    private readonly registry: WorkflowRegistry,
    private readonly calendar: CalendarService,
    private readonly units: UnitDirectory,
    private readonly notifications: NotificationsService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly revisions: ConfigurationRevision,
    private readonly lifecycle: Lifecycle,
    jobs: JobRuns,
  ) {
    jobs.reportsParked('sla_sweep', () => this.store.parkedSlaChecks(SLA_CHECK_TRIES));
  }

  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { checked: 0, withdrawn: 0, escalations: 0, failed: 0, parked: 0 };
    const known = this.registry.list().map((d) => `${d.id}@${d.version}`);
    for (;;) {
      const claimed = await this.dataSource.transaction(async (em) => {
        const now = this.clock.now();
        const rows = await this.store.lockDue(em, now, BATCH, known);
        // One configuration for the batch: its revision read once in the batch's transaction (a
        // configuration change waits for the claims to commit), not once per case.
        const revision = rows.length ? await this.revisions.read(em) : '';
        const daysOff = rows.length ? await this.calendar.daysOff(em, revision) : null;
        await eachIsolated(
          em,
          rows,
          (row) => this.handle(em, row, now, { revision, daysOff: daysOff! }, result),
          (row, error) => this.failed(em, row, now, error, result),
        );
        return rows.length;
      });
      result.checked += claimed;
      // A stopping instance commits the batch it holds and claims no other.
      if (claimed < BATCH || this.lifecycle.stopping) return result;
    }
  }

  /** A case whose check failed: retried later on its own; parked and reported after a few failures. */
  private async failed(
    em: EntityManager,
    row: CaseEntity,
    now: Date,
    error: unknown,
    result: SweepResult,
  ): Promise<void> {
    const next = retryAt(now, row.slaCheckFailures);
    const { failures, parked } = await this.store.deferSlaCheck(em, row.id, next, SLA_CHECK_TRIES);
    result.failed += 1;
    const reason = describeError(error);
    if (!parked) {
      this.logger.warn(`SLA check of ${row.registerNumber} failed (${failures}), retried later: ${reason}`);
      return;
    }
    result.parked += 1;
    this.logger.error(`SLA check of ${row.registerNumber} failed ${failures} times; parked: ${reason}`);
    await this.notifications.notifyAdministrators(em, {
      caseId: row.id,
      kind: 'SLA_TERHENTI',
      dedupeKey: `sla-parked:${row.id}:${row.version}`,
      title: `Pemeriksaan tenggat terhenti: ${row.registerNumber}`,
      body: `Tenggat pengaduan ${row.registerNumber} tidak dapat diperiksa ${failures} kali berturut-turut dan tidak diperiksa lagi sampai kasusnya berubah. Mohon periksa log layanan.`,
    });
  }

  private async handle(
    em: EntityManager,
    row: CaseEntity,
    now: Date,
    { revision, daysOff }: { revision: string; daysOff: DaysOff },
    result: SweepResult,
  ): Promise<void> {
    const deadline = storedDeadline(row);
    if (!deadline || deadline.pausedAt || deadline.clock === 'INSTITUSI') {
      await this.setNext(em, row.id, row.slaLevel, null);
      return;
    }
    if (deadline.dueAt > now) {
      await this.setNext(em, row.id, row.slaLevel, deadline.dueAt);
      return;
    }
    if (deadline.clock === 'PENGADU') {
      // The complainant's time ran out: the system's own event of the step (in version 1 and 2,
      // DICABUT: not completed within 10 days of the notice, the complaint is deemed withdrawn).
      const definition = this.registry.get(row.workflowId, row.workflowVersion);
      const type = timeoutEvent(
        definition,
        restore(definition, { value: row.stateValue as never, context: row.context }),
      );
      if (!type) {
        await this.setNext(em, row.id, row.slaLevel, null);
        return;
      }
      const saved = await this.events.applyAsSystem(
        em,
        row,
        { type, occurredAt: deadline.dueAt.toISOString() },
        revision,
      );
      if (saved) result.withdrawn += 1;
      return;
    }
    const { zone, escalationGraceDays: graceDays } = await this.units.clock(row.unitCode, revision);
    const graceAt = addWorkingDays(deadline.dueAt, graceDays, zone, daysOff).dueAt;
    let level = row.slaLevel;
    if (level < 1) {
      await this.escalate(em, row, 1, deadline.dueAt, zone, graceDays);
      level = 1;
      result.escalations += 1;
    }
    if (level < 2 && now > graceAt) {
      await this.escalate(em, row, 2, deadline.dueAt, zone, graceDays);
      level = 2;
      result.escalations += 1;
    }
    await this.setNext(em, row.id, level, level >= 2 ? null : graceAt);
  }

  private async escalate(
    em: EntityManager,
    row: CaseEntity,
    level: 1 | 2,
    dueAt: Date,
    zone: string,
    graceDays: number,
  ): Promise<void> {
    const stepKey = `${row.state}@${row.stepStartedAt.toISOString()}`;
    const inserted = await queryRows<{ id: string }>(
      em,
      `INSERT INTO sla_escalations (case_id, step_key, level, due_at, notified_user_ids) VALUES ($1, $2, $3, $4, '{}')
       ON CONFLICT (case_id, step_key, level) DO NOTHING RETURNING id`,
      [row.id, stepKey, level, dueAt],
    );
    if (inserted.length === 0) return;
    const definition = this.registry.get(row.workflowId, row.workflowVersion);
    const meta = stepMeta(restore(definition, { value: row.stateValue as never, context: row.context }));
    const holders = holderRoles(meta);
    const roles = escalationRoles(holders, level);
    const recipients = await queryRows<{ id: string; email: string | null }>(
      em,
      `SELECT id, email FROM users
        WHERE unit_code = $1 AND active AND roles && $2::text[]
          AND NOT ($3::uuid IS NOT NULL AND roles = ARRAY['PETUGAS'] AND id <> $3)`,
      [row.unitCode, roles, level === 1 && holders.includes('PETUGAS') ? row.assigneeId : null],
    );
    const due = formatLocal(dueAt, zone);
    const title =
      level === 1
        ? `Tenggat terlewati: ${row.registerNumber}`
        : `Eskalasi: ${row.registerNumber} masih melewati tenggat`;
    const body =
      level === 1
        ? `Langkah "${meta.nama}" pada pengaduan ${row.registerNumber} melewati tenggat ${due}. Mohon segera ditindaklanjuti.`
        : `Langkah "${meta.nama}" pada pengaduan ${row.registerNumber} masih belum selesai lebih dari ${graceDays} hari kerja setelah tenggat ${due}.`;
    const dedupeKey = `sla:${row.id}:${stepKey}:${level}`;
    const notified = await this.notifications.notify(
      em,
      recipients.map((r) => r.id),
      { caseId: row.id, kind: 'SLA_TERLAMBAT', dedupeKey, title, body },
    );
    const emails = recipients.filter((r) => r.email).map((r) => r.email!);
    if (emails.length > 0) {
      await this.outbox.enqueue(em, {
        kind: 'SLA_ESKALASI',
        dedupeKey,
        audience: 'PETUGAS',
        to: emails,
        subject: `[Yankomas] ${title}`,
        text: `Yth. Bapak/Ibu,\n\n${body}\n\nStatus saat ini: ${row.state}.\n\nPesan ini dikirim otomatis oleh sistem Yankomas.`,
        html: `<p>Yth. Bapak/Ibu,</p><p>${escapeHtml(body)}</p><p>Status saat ini: <code>${escapeHtml(row.state)}</code>.</p><p><small>Pesan ini dikirim otomatis oleh sistem Yankomas.</small></p>`,
        caseId: row.id,
        unitCode: row.unitCode,
      });
    }
    await em.query('UPDATE sla_escalations SET notified_user_ids = $2 WHERE id = $1', [
      inserted[0].id,
      notified,
    ]);
    this.logger.log(
      `${row.registerNumber} ${row.state}: level ${level} escalation to ${roles.join(', ')} (${notified.length} users)`,
    );
  }

  private setNext(em: EntityManager, id: string, level: number, next: Date | null): Promise<void> {
    return this.store.setSlaCheck(em, id, level, next);
  }
}
