/**
 * The register number the service issues: `<unit>/<year>/<5-digit sequence>`, e.g.
 * `KANWIL-SS/2026/00017`. The one owner of that format: registration writes it, the import
 * recognises it (to keep the unit's counter past every imported number), nothing else builds one.
 */
export interface RegisterNumberParts {
  unitCode: string;
  year: number;
  seq: number;
}

const SERVICE_FORMAT = /^([A-Z]+(?:-[A-Z]+)?)\/(\d{4})\/(\d{5,})$/;

export function formatRegisterNumber({ unitCode, year, seq }: RegisterNumberParts): string {
  return `${unitCode}/${year}/${String(seq).padStart(5, '0')}`;
}

/**
 * A register number as a person types it, in the form it is stored: upper case, without spaces
 * ("kanwil-ss / 2026 / 00017" is KANWIL-SS/2026/00017).
 */
export function normalRegisterNumber(typed: string): string {
  return typed.replace(/\s+/g, '').toUpperCase();
}

/** The parts of a number in the service's own format; null for any other (a legacy office's own numbering). */
export function parseRegisterNumber(value: string): RegisterNumberParts | null {
  const match = SERVICE_FORMAT.exec(value);
  if (!match) return null;
  const seq = Number(match[3]);
  return Number.isSafeInteger(seq) && seq > 0 ? { unitCode: match[1], year: Number(match[2]), seq } : null;
}

/**
 * The statement that moves each unit's counter past the numbers just written, in the writer's own
 * transaction: `$1` is a JSON array of { unit_code, year, seq }. A counter never moves back.
 */
export const ADVANCE_REGISTER_COUNTERS = `
  INSERT INTO register_counters (unit_code, year, last_value)
  SELECT r.unit_code, r.year, max(r.seq) FROM jsonb_to_recordset($1::jsonb) AS r(unit_code text, year int, seq int)
   GROUP BY r.unit_code, r.year
   -- In one order: two batches of an import, written at once, then never wait on each other's counters crosswise.
   ORDER BY r.unit_code, r.year
  ON CONFLICT (unit_code, year) DO UPDATE SET last_value = GREATEST(register_counters.last_value, EXCLUDED.last_value)`;
