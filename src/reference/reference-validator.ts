import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { FieldProblem } from '../common/errors';
import { queryRows, writeRows } from '../database/sql';
import type { ReferenceKind } from './reference-item.entity';

export interface ReferenceItemRow {
  code: string;
  name: string;
  active: boolean;
}

/**
 * Owner of `reference_items`: the lists themselves, and the check of codes against them (and
 * against provinces and units), collecting every problem at once.
 */
@Injectable()
export class ReferenceValidator {
  constructor(private readonly dataSource: DataSource) {}

  list(kind: ReferenceKind): Promise<ReferenceItemRow[]> {
    return queryRows<ReferenceItemRow>(
      this.dataSource,
      `SELECT code, name, active FROM reference_items WHERE kind = $1 ORDER BY sort_order, code`,
      [kind],
    );
  }

  async upsert(kind: ReferenceKind, item: ReferenceItemRow): Promise<ReferenceItemRow> {
    const [row] = await writeRows<ReferenceItemRow>(
      this.dataSource,
      `INSERT INTO reference_items (kind, code, name, active, sort_order)
       VALUES ($1, $2, $3, $4, (SELECT coalesce(max(sort_order), 0) + 1 FROM reference_items))
       ON CONFLICT (kind, code) DO UPDATE SET name = EXCLUDED.name, active = EXCLUDED.active
       RETURNING code, name, active`,
      [kind, item.code, item.name, item.active],
    );
    return row;
  }

  async check(
    items: { field: string; kind: ReferenceKind | 'PROVINSI' | 'UNIT'; code: string }[],
  ): Promise<FieldProblem[]> {
    if (items.length === 0) return [];
    const found = await queryRows<{ i: number; ok: boolean }>(
      this.dataSource,
      `SELECT i, CASE kind
                  WHEN 'PROVINSI' THEN EXISTS (SELECT 1 FROM provinces p WHERE p.code = x.code)
                  WHEN 'UNIT' THEN EXISTS (SELECT 1 FROM units u WHERE u.code = x.code AND u.active)
                  ELSE EXISTS (SELECT 1 FROM reference_items r WHERE r.kind = x.kind AND r.code = x.code AND r.active)
                END AS ok
         FROM unnest($1::int[], $2::text[], $3::text[]) AS x(i, kind, code)`,
      [items.map((_, i) => i), items.map((x) => x.kind), items.map((x) => x.code)],
    );
    return found
      .filter((r) => !r.ok)
      .map((r) => {
        const item = items[r.i];
        const what = item.kind === 'PROVINSI' ? 'kode provinsi' : item.kind === 'UNIT' ? 'unit' : 'kode';
        return { field: item.field, reason: `${what} "${item.code}" tidak dikenal` };
      });
  }
}
