/**
 * The recap's columns have one declaration: no other source file spells a column's header or
 * lists its keys, so a new category cannot be added to one table and missed by another.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RECAP_COLUMN_SPECS, categoryCountsSql, responseCountsSql } from './recap-columns';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|eta)$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the recap column registry', () => {
  it('is the only place that names the columns', () => {
    const copies = sources(join(__dirname, '..')).filter((file) => {
      if (file.endsWith('recap-columns.ts')) return false;
      const text = readFileSync(file, 'utf8');
      return (
        /'TELAAH REKOMENDASI'|'KASUS DITANGGAPI'/.test(text) ||
        /'telaahFile',\s*'telaahRekomendasi'/.test(text)
      );
    });
    expect(copies).toEqual([]);
  });

  it('counts every column once, in the order of the table', () => {
    const sql = `${categoryCountsSql()}, ${responseCountsSql()}`;
    for (const c of RECAP_COLUMN_SPECS) expect(sql.split(`AS "${c.key}"`)).toHaveLength(2);
    expect(RECAP_COLUMN_SPECS.map((c) => c.key)).toEqual([
      'proses',
      'file',
      'telaahFile',
      'telaahMediasi',
      'telaahRekomendasi',
      'rekomendasi',
      'jumlah',
      'tanggapan',
      'kasusDitanggapi',
    ]);
  });
});
