import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { transition } from 'xstate';
import {
  allowedEvents,
  kategoriOf,
  restore,
  rolesFor,
  statePath,
  stepMeta,
  WorkflowRegistry,
  type Actor,
  type WorkflowDefinition,
} from '../../workflows';
import { CalendarService } from '../calendars/calendar.service';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import { EventNotAllowedError, ForbiddenActionError, InvalidInputError, VersionConflictError } from '../common/errors';
import { validateInto } from '../common/validation';
import { pauseDeadline, resumeDeadline, startDeadline, type StoredDeadline } from '../sla/deadline-policy';
import { CaseEventEntity } from './case-event.entity';
import { EVENT_PAYLOADS } from './case-event.dtos';
import { deadlineColumns, storedDeadline, type CaseView } from './case-view';
import { CaseEntity } from './case.entity';
import { CasesService, CLOCK_SKEW_MS, unitTimeZone } from './cases.service';

/** Who performs an event: a signed-in user, or the system itself for time-driven events. */
export interface EventActor {
  id: string | null;
  username: string;
  roles: Actor[];
  unitCode: string | null;
}

export const SYSTEM_ACTOR: EventActor = { id: null, username: 'sistem', roles: ['SISTEM'], unitCode: null };

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
    private readonly cases: CasesService,
    private readonly clock: Clock,
  ) {}

  /**
   * Applies one event in one transaction: the case row is locked, the version compared, the
   * state asked (409), the role checked (403), the payload validated (400); then the new state,
   * its deadline and the history row are written together.
   */
  async apply(user: AuthUser, caseId: string, body: Record<string, unknown>, ifMatch: number | undefined): Promise<CaseView> {
    const row = await this.dataSource.transaction(async (em) => {
      const current = await this.cases.findVisible(user, caseId, em, true);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new VersionConflictError(ifMatch, current.version);
      const actor: EventActor = { id: user.id, username: user.username, roles: user.roles, unitCode: user.unitCode };
      return this.applyLocked(em, current, actor, body, { requireOwnUnit: true });
    });
    return this.cases.view(user, row);
  }

  /** For the system's own events (the sweep): same rules, no user. */
  async applyAsSystem(em: EntityManager, current: CaseEntity, body: Record<string, unknown>): Promise<CaseEntity> {
    return this.applyLocked(em, current, SYSTEM_ACTOR, body, { requireOwnUnit: false });
  }

  private async applyLocked(
    em: EntityManager,
    current: CaseEntity,
    actor: EventActor,
    body: Record<string, unknown>,
    options: { requireOwnUnit: boolean },
  ): Promise<CaseEntity> {
    if (typeof body.type !== 'string' || body.type.trim() === '') throw InvalidInputError.field('type', 'wajib diisi');
    const type = body.type;
    const definition = this.registry.get(current.workflowId, current.workflowVersion);
    if (!definition.eventTypes.includes(type)) {
      throw InvalidInputError.field('type', `jenis event tidak dikenal; yang dikenal: ${definition.eventTypes.join(', ')}`);
    }
    const before = restore(definition, { value: current.stateValue as never, context: current.context });
    const allowed = allowedEvents(definition, before);
    if (!allowed.includes(type)) throw new EventNotAllowedError(type, current.state, allowed);
    const roles = rolesFor(before, type);
    if (!actor.roles.some((r) => roles.includes(r))) {
      throw new ForbiddenActionError(`Event ${type} pada status ${current.state} hanya untuk peran: ${roles.join(', ')}`, { requiredRoles: roles });
    }
    if (options.requireOwnUnit && actor.unitCode !== current.unitCode) {
      throw new ForbiddenActionError(`Kasus ini ditangani oleh ${current.unitCode}; hanya unit tersebut yang dapat memprosesnya`);
    }
    const payload = this.validatePayload(type, body);
    const occurredAt = this.occurredAt(payload.occurredAt as string | undefined, current);
    await this.checkSemantics(em, definition, current, type, payload);

    const event = { ...payload, type } as never;
    const [after] = transition(definition.machine, before, event);
    if (after === before) throw new EventNotAllowedError(type, current.state, allowed);

    const toPath = statePath(after.value);
    const toUnit = type === 'LIMPAHKAN' ? String(payload.unitCode) : current.unitCode;
    const zone = await unitTimeZone(em, toUnit);
    const daysOff = await this.calendar.daysOff(em);
    const enteredNewStep = toPath !== current.state || type === 'LIMPAHKAN';
    let deadline: StoredDeadline | null = storedDeadline(current);
    if (enteredNewStep) deadline = startDeadline(toPath, stepMeta(after), occurredAt, zone, daysOff);
    else if (type === 'TUNDA' && deadline) deadline = pauseDeadline(deadline, occurredAt);
    else if (type === 'LANJUTKAN' && deadline) deadline = resumeDeadline(deadline, occurredAt, zone, daysOff);

    const updated: Partial<CaseEntity> = {
      state: toPath,
      stateValue: after.value,
      context: after.context,
      category: kategoriOf(after.context),
      version: current.version + 1,
      unitCode: toUnit,
      lastEventAt: occurredAt,
      stepStartedAt: enteredNewStep ? occurredAt : current.stepStartedAt,
      ...deadlineColumns(deadline),
    };
    const result = await em
      .createQueryBuilder()
      .update(CaseEntity)
      .set(updated)
      .where('id = :id AND version = :version', { id: current.id, version: current.version })
      .execute();
    // The row is locked, so this cannot happen unless a writer skipped the lock.
    if (result.affected !== 1) throw new VersionConflictError(current.version, current.version + 1);

    const { type: _type, occurredAt: _at, ...rest } = payload;
    const [{ seq }] = await em.query('SELECT coalesce(max(seq), 0) + 1 AS seq FROM case_events WHERE case_id = $1', [current.id]);
    await em.getRepository(CaseEventEntity).insert({
      caseId: current.id,
      seq,
      type,
      actorId: actor.id,
      actorUsername: actor.username,
      actorRoles: actor.roles,
      actorUnitCode: actor.unitCode,
      unitCode: toUnit,
      occurredAt,
      fromState: current.state,
      toState: toPath,
      workflowVersion: current.workflowVersion,
      payload: (type === 'LIMPAHKAN' ? { ...rest, fromUnitCode: current.unitCode } : rest) as object,
    });
    return em.getRepository(CaseEntity).findOneByOrFail({ id: current.id });
  }

  private validatePayload(type: string, body: Record<string, unknown>): Record<string, unknown> {
    const dto = EVENT_PAYLOADS[type];
    const instance = validateInto(dto, body);
    return { ...instance } as Record<string, unknown>;
  }

  /** occurredAt: back-dating is normal (letters recorded later), but not before the last event nor in the future. */
  private occurredAt(raw: string | undefined, current: CaseEntity): Date {
    const now = this.clock.now();
    if (raw === undefined) return now < current.lastEventAt ? current.lastEventAt : now;
    const at = new Date(raw);
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw InvalidInputError.field('occurredAt', 'tidak boleh di masa depan');
    if (at < current.lastEventAt) {
      throw InvalidInputError.field('occurredAt', `tidak boleh sebelum event terakhir kasus ini (${current.lastEventAt.toISOString()})`);
    }
    return at;
  }

  private async checkSemantics(
    em: EntityManager,
    _definition: WorkflowDefinition,
    current: CaseEntity,
    type: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const context = current.context as { menunggu?: string[] };
    if (type === 'SETUJUI_TELAAH' && payload.kesimpulan === 'FILE' && payload.audiensi === true) {
      throw InvalidInputError.field('audiensi', 'audiensi hanya untuk kesimpulan REKOMENDASI');
    }
    if (type === 'KIRIM_SURAT') {
      const ids = payload.institutionIds as string[];
      const found: { id: string }[] = await em.query('SELECT id FROM institutions WHERE id = ANY($1::uuid[])', [ids]);
      const missing = ids.filter((id) => !found.some((f) => f.id === id));
      if (missing.length > 0) {
        throw new InvalidInputError(missing.map((id) => ({ field: `institutionIds[${ids.indexOf(id)}]`, reason: `institusi ${id} tidak ditemukan` })));
      }
    }
    if (type === 'TANGGAPAN' && !(context.menunggu ?? []).includes(String(payload.institutionId))) {
      throw InvalidInputError.field('institutionId', 'institusi ini tidak sedang ditunggu tanggapannya untuk kasus ini');
    }
    if (type === 'LIMPAHKAN') {
      const target = String(payload.unitCode);
      const [unit] = await em.query('SELECT code FROM units WHERE code = $1 AND active', [target]);
      if (!unit) throw InvalidInputError.field('unitCode', `unit ${target} tidak dikenal`);
      if (target === current.unitCode) throw InvalidInputError.field('unitCode', 'kasus sudah berada di unit ini');
      if (target !== 'PUSAT' && current.unitCode !== 'PUSAT') {
        throw InvalidInputError.field('unitCode', 'pelimpahan hanya antara Direktorat (PUSAT) dan Kantor Wilayah');
      }
    }
  }
}
