import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { FieldProblem } from '../common/errors';
import type { ReferenceKind } from './reference-item.entity';

/** Checks codes against the reference lists and provinces, collecting every problem at once. */
@Injectable()
export class ReferenceValidator {
  constructor(private readonly dataSource: DataSource) {}

  async check(
    items: { field: string; kind: ReferenceKind | 'PROVINSI' | 'UNIT'; code: string }[],
  ): Promise<FieldProblem[]> {
    if (items.length === 0) return [];
    const rows: { i: number; ok: boolean }[] = await this.dataSource.query(
      `SELECT i, CASE kind
                  WHEN 'PROVINSI' THEN EXISTS (SELECT 1 FROM provinces p WHERE p.code = x.code)
                  WHEN 'UNIT' THEN EXISTS (SELECT 1 FROM units u WHERE u.code = x.code AND u.active)
                  ELSE EXISTS (SELECT 1 FROM reference_items r WHERE r.kind = x.kind AND r.code = x.code AND r.active)
                END AS ok
         FROM unnest($1::int[], $2::text[], $3::text[]) AS x(i, kind, code)`,
      [items.map((_, i) => i), items.map((x) => x.kind), items.map((x) => x.code)],
    );
    return rows
      .filter((r) => !r.ok)
      .map((r) => {
        const item = items[r.i];
        const what = item.kind === 'PROVINSI' ? 'kode provinsi' : item.kind === 'UNIT' ? 'unit' : 'kode';
        return { field: item.field, reason: `${what} "${item.code}" tidak dikenal` };
      });
  }
}
