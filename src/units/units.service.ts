import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WorkflowRegistry } from '../../workflows';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { exists, firstRow, queryRows, writeRows } from '../database/sql';
import { ConfigurationRevision } from '../config/configuration-revision';

export interface UnitRow {
  code: string;
  name: string;
  kind: 'PUSAT' | 'KANWIL';
  provinceCode: string | null;
  timeZone: string;
  parentCode: string | null;
  active: boolean;
}

export interface ProvinceRow {
  code: string;
  name: string;
  kind: string;
  timeZone: string;
}

export interface UnitSettingsRow {
  unitCode: string;
  officeOpen: number;
  officeClose: number;
  officeCloseFriday: number;
  dueSoonPercent: number;
  escalationGraceDays: number;
  /** The workflow version the unit's new cases start on; null: the newest. */
  workflowVersion: number | null;
  /** The office's address, as its printed forms head it. */
  officeAddress: string | null;
}

/** Settings as sent: without `workflowVersion` or `officeAddress` the unit keeps what it has. */
export type UnitSettings = Omit<UnitSettingsRow, 'unitCode' | 'workflowVersion' | 'officeAddress'> & {
  workflowVersion?: number | null;
  officeAddress?: string | null;
};

const UNIT = `code, name, kind, province_code AS "provinceCode", time_zone AS "timeZone", parent_code AS "parentCode", active`;
const SETTINGS = `unit_code AS "unitCode", office_open AS "officeOpen", office_close AS "officeClose",
  office_close_friday AS "officeCloseFriday", due_soon_percent AS "dueSoonPercent",
  escalation_grace_days AS "escalationGraceDays", workflow_version AS "workflowVersion",
  office_address AS "officeAddress"`;

/** Owner of `units`, `provinces` and `unit_settings`: every read and write of them goes through here. */
@Injectable()
export class UnitsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly revisions: ConfigurationRevision,
    private readonly workflows: WorkflowRegistry,
  ) {}

  list(): Promise<UnitRow[]> {
    return queryRows<UnitRow>(this.dataSource, `SELECT ${UNIT} FROM units ORDER BY kind DESC, code`);
  }

  provinces(): Promise<ProvinceRow[]> {
    return queryRows<ProvinceRow>(
      this.dataSource,
      `SELECT code, name, kind, time_zone AS "timeZone" FROM provinces ORDER BY sort_order`,
    );
  }

  provinceExists(code: string): Promise<boolean> {
    return exists(this.dataSource, 'SELECT 1 FROM provinces WHERE code = $1', [code]);
  }

  unitExists(code: string): Promise<boolean> {
    return exists(this.dataSource, 'SELECT 1 FROM units WHERE code = $1', [code]);
  }

  async name(code: string): Promise<string | undefined> {
    return (
      await firstRow<{ name: string }>(this.dataSource, 'SELECT name FROM units WHERE code = $1', [code])
    )?.name;
  }

  /**
   * Creates or changes a unit; a new unit starts with the default settings. A change of its time
   * zone moves its open deadlines and dispatches, in the same transaction.
   */
  async upsert(unit: UnitRow): Promise<UnitRow> {
    const saved = await this.dataSource.transaction(async (em) => {
      const [row] = await queryRows<UnitRow>(
        em,
        `INSERT INTO units (code, name, kind, province_code, time_zone, parent_code, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
           province_code = EXCLUDED.province_code, time_zone = EXCLUDED.time_zone,
           parent_code = EXCLUDED.parent_code, active = EXCLUDED.active
         RETURNING ${UNIT}`,
        [unit.code, unit.name, unit.kind, unit.provinceCode, unit.timeZone, unit.parentCode, unit.active],
      );
      await em.query('INSERT INTO unit_settings (unit_code) VALUES ($1) ON CONFLICT (unit_code) DO NOTHING', [
        unit.code,
      ]);
      await this.revisions.changed(em, { kind: 'UNIT', unitCode: unit.code });
      return row;
    });
    return saved;
  }

  async settings(code: string): Promise<UnitSettingsRow> {
    const row = await firstRow<UnitSettingsRow>(
      this.dataSource,
      `SELECT ${SETTINGS} FROM unit_settings WHERE unit_code = $1`,
      [code],
    );
    if (!row) throw new NotFoundError('Unit');
    return row;
  }

  /**
   * Office hours, the due-soon share and the escalation grace: the unit's open deadlines, their
   * escalation times and its dispatches' reminder checks move with them, in the same transaction.
   */
  async putSettings(code: string, s: UnitSettings): Promise<UnitSettingsRow> {
    if (!(await this.unitExists(code))) throw new NotFoundError('Unit');
    const versions = this.workflows.versionsOf('pengaduan');
    if (
      s.workflowVersion !== undefined &&
      s.workflowVersion !== null &&
      !versions.includes(s.workflowVersion)
    )
      throw InvalidInputError.field(
        'workflowVersion',
        `harus salah satu dari: ${versions.join(', ')}, atau null`,
      );
    return this.dataSource.transaction(async (em) => {
      const [row] = await queryRows<UnitSettingsRow>(
        em,
        `INSERT INTO unit_settings (unit_code, office_open, office_close, office_close_friday, due_soon_percent,
         escalation_grace_days, workflow_version, office_address)
       VALUES ($1, $2, $3, $4, $5, $6, $8, $10)
       ON CONFLICT (unit_code) DO UPDATE SET office_open = EXCLUDED.office_open, office_close = EXCLUDED.office_close,
         office_close_friday = EXCLUDED.office_close_friday, due_soon_percent = EXCLUDED.due_soon_percent,
         escalation_grace_days = EXCLUDED.escalation_grace_days,
         workflow_version = CASE WHEN $7 THEN EXCLUDED.workflow_version ELSE unit_settings.workflow_version END,
         office_address = CASE WHEN $9 THEN EXCLUDED.office_address ELSE unit_settings.office_address END
       RETURNING ${SETTINGS}`,
        [
          code,
          s.officeOpen,
          s.officeClose,
          s.officeCloseFriday,
          s.dueSoonPercent,
          s.escalationGraceDays,
          s.workflowVersion !== undefined,
          s.workflowVersion ?? null,
          s.officeAddress !== undefined,
          s.officeAddress?.trim() || null,
        ],
      );
      await this.revisions.changed(em, { kind: 'UNIT', unitCode: code });
      return row;
    });
  }

  /** The milestones a unit's complainants are told of by mail. */
  async complainantNotices(code: string): Promise<string[]> {
    const row = await firstRow<{ milestones: string[] }>(
      this.dataSource,
      'SELECT complainant_notices AS milestones FROM unit_settings WHERE unit_code = $1',
      [code],
    );
    if (!row) throw new NotFoundError('Unit');
    return row.milestones;
  }

  async putComplainantNotices(code: string, milestones: string[]): Promise<string[]> {
    const [row] = await writeRows<{ milestones: string[] }>(
      this.dataSource,
      `UPDATE unit_settings SET complainant_notices = $2 WHERE unit_code = $1
       RETURNING complainant_notices AS milestones`,
      [code, milestones],
    );
    if (!row) throw new NotFoundError('Unit');
    return row.milestones;
  }
}
