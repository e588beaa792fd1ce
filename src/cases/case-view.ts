import type { AnyMachineSnapshot } from 'xstate';
import type { WorkflowDefinition } from '../../workflows';
import { allowedEvents, isClosed, stepMeta } from '../../workflows';
import type { AuthUser } from '../common/auth.decorators';
import { Scope } from '../common/access-policy';
import { deadlineStatus, type StoredDeadline } from '../sla/deadline-policy';
import type { CaseEntity, Complainant } from './case.entity';
import type { Person } from './case-people';

export function storedDeadline(row: CaseEntity): StoredDeadline | null {
  if (
    !row.deadlineDueAt ||
    !row.deadlineStep ||
    !row.deadlineBasisAt ||
    !row.deadlineLimit ||
    !row.deadlineDueSoonAt
  )
    return null;
  return {
    step: row.deadlineStep,
    clock: row.deadlineClock as StoredDeadline['clock'],
    basisAt: row.deadlineBasisAt,
    limit: row.deadlineLimit as StoredDeadline['limit'],
    dueAt: row.deadlineDueAt,
    dueSoonAt: row.deadlineDueSoonAt,
    provisional: row.deadlineProvisional,
    pausedAt: row.pausedAt,
  };
}

/**
 * The deadline's columns, and when the SLA sweep should next look at the case: at the due time,
 * unless the clock is paused or belongs to an institution (reminders chase institutions).
 */
export function deadlineColumns(deadline: StoredDeadline | null): Partial<CaseEntity> {
  const watched = deadline && !deadline.pausedAt && deadline.clock !== 'INSTITUSI';
  return {
    nextSlaCheckAt: watched ? deadline.dueAt : null,
    // A new deadline is a new start for the sweep: earlier failed checks no longer count.
    slaCheckFailures: 0,
    deadlineStep: deadline?.step ?? null,
    deadlineClock: deadline?.clock ?? null,
    deadlineBasisAt: deadline?.basisAt ?? null,
    deadlineLimit: deadline?.limit ?? null,
    deadlineDueAt: deadline?.dueAt ?? null,
    deadlineDueSoonAt: deadline?.dueSoonAt ?? null,
    deadlineProvisional: deadline?.provisional ?? false,
    pausedAt: deadline?.pausedAt ?? null,
  };
}

export function presentDeadline(row: CaseEntity, now: Date) {
  const deadline = storedDeadline(row);
  if (!deadline) return null;
  return {
    step: deadline.step,
    dueAt: deadline.dueAt.toISOString(),
    status: deadlineStatus(deadline, now),
    dueSoonAt: deadline.dueSoonAt.toISOString(),
    clock: deadline.clock,
    provisional: deadline.provisional,
  };
}

/**
 * Identity and contact data are protected by default (Pasal 92, Permenkumham 23/2022): a case
 * never carries them; those handling it read them through the audited complainant endpoint.
 */
export function presentComplainant(row: CaseEntity): {
  hidden: true;
  confidential: boolean;
  hasEmail: boolean;
} {
  // Whether the complainant is told by mail: without an address, the desk sends written letters.
  return {
    hidden: true,
    confidential: row.complainant.confidential ?? false,
    hasEmail: Boolean(row.complainant.email),
  };
}

/** Who may read the identity: the handling roles of the case's unit, and ADMIN (audited like all). */
export function mayRevealComplainant(user: AuthUser, row: Pick<CaseEntity, 'unitCode'>): boolean {
  return Scope.of(user).handles(row.unitCode) || user.roles.includes('ADMIN');
}

export type { Complainant };

export interface CaseViewOptions {
  withComplainant: boolean;
  /** The people the case names (its assignee), as CasePeople read them. */
  people?: ReadonlyMap<string, Person>;
  /** The register number of the case it repeats, when it was filed as a duplicate. */
  duplicateOfNumber?: string | null;
}

/**
 * A case as the API shows it. Without its workflow (a version this release does not know, met in a
 * list during a rolling upgrade) it shows what its row says, with no action: `workflowKnown: false`.
 */
export function presentCase(
  row: CaseEntity,
  workflow: { definition: WorkflowDefinition; snapshot: AnyMachineSnapshot } | null,
  user: AuthUser,
  now: Date,
  options: CaseViewOptions = { withComplainant: true },
) {
  const context = row.context as Record<string, unknown>;
  const allowed = workflow ? allowedEvents(workflow.definition, workflow.snapshot) : [];
  const meta = workflow
    ? stepMeta(workflow.snapshot)
    : { nama: row.state, peran: {} as Record<string, string[]> };
  return {
    id: row.id,
    registerNumber: row.registerNumber,
    unitCode: row.unitCode,
    state: row.state,
    category: row.category,
    version: row.version,
    receivedAt: row.receivedAt.toISOString(),
    stateName: meta.nama,
    allowedEvents: allowed,
    /** The allowed events this caller may send: only the case's own unit acts on it. */
    availableActions:
      user.unitCode === row.unitCode
        ? allowed.filter((type) => (meta.peran[type] ?? []).some((r) => user.roles.includes(r as never)))
        : [],
    deadline: presentDeadline(row, now),
    suspended: context.ditunda === true,
    workflow: { id: row.workflowId, version: row.workflowVersion },
    workflowVersion: row.workflowVersion,
    /** Finished or filed: no more work, a survey may be sent (the version's closed states). */
    closed: workflow ? isClosed(workflow.definition, workflow.snapshot) : false,
    workflowKnown: workflow !== null,
    channel: row.channel,
    submission: row.submission,
    ...(options.withComplainant ? { complainant: presentComplainant(row) } : {}),
    locus: { provinceCode: row.locusProvinceCode, regency: row.locusRegency },
    rights: row.rights,
    theme: row.theme,
    reportedParty: row.reportedParty,
    summary: row.summary,
    awaitingResponseFrom: (context.menunggu as string[] | undefined) ?? [],
    respondedInstitutions: (context.ditanggapi as string[] | undefined) ?? [],
    fileReason: (context.alasanFile as string | null | undefined) ?? null,
    /** The officer whose work the case's officer steps are; null: the unit's shared queue. */
    assignee: row.assigneeId
      ? (options.people?.get(row.assigneeId) ?? { id: row.assigneeId, username: '?', fullName: '?' })
      : null,
    duplicateOf: row.duplicateOf
      ? { id: row.duplicateOf, registerNumber: options.duplicateOfNumber ?? null }
      : null,
    stepStartedAt: row.stepStartedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type CaseView = ReturnType<typeof presentCase>;
