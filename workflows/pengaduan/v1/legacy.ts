/**
 * How a row of the offices' old spreadsheets becomes version 1's events: the dispositions down to
 * the Kabid, the decision the row records, the letter and each response, on the row's dates. The
 * import replays them through the machine, so an imported case stands exactly where the machine
 * would have taken it, with the deadline of the step it is still in.
 */
import type { LegacyEvent, LegacyImport, LegacyRow } from '../../types';

function events(row: LegacyRow): LegacyEvent[] {
  if (row.outcome === 'PROSES' || !row.outcomeAt) return [];
  const at = row.outcomeAt;
  const step = (
    type: string,
    role: LegacyEvent['role'],
    payload: Record<string, unknown> = {},
    when = at,
  ) => ({
    type,
    at: when,
    role,
    payload,
  });
  // The dispositions were not recorded: they are dated with the decision that followed them.
  const out: LegacyEvent[] = [
    step('DISPOSISI', 'PETUGAS'),
    step('DISPOSISI', 'KAKANWIL'),
    step('DISPOSISI', 'KADIV'),
  ];
  if (row.outcome === 'FILE') return [...out, step('FILE', 'KABID', { reason: 'impor: diarsipkan' })];
  if (row.outcome === 'REKOMENDASI') out.push(step('REKOMENDASI_SEGERA', 'KABID'));
  else {
    out.push(step('TELAAH', 'KABID'), step('AJUKAN_TELAAH', 'PETUGAS'));
    out.push(
      step('SETUJUI_TELAAH', 'KABID', {
        kesimpulan: row.outcome === 'TELAAH_FILE' ? 'FILE' : 'REKOMENDASI',
        audiensi: false,
      }),
    );
    if (row.outcome === 'TELAAH_FILE') return out;
  }
  const letter = row.letter;
  if (!letter) return out;
  out.push(
    step('AJUKAN_SURAT', 'PETUGAS', {}, letter.at),
    step('SETUJUI_SURAT', 'KAKANWIL', {}, letter.at),
    step(
      'KIRIM_SURAT',
      'PETUGAS',
      { institutionIds: letter.institutions, letterNumber: letter.number },
      letter.at,
    ),
  );
  const answers = letter.institutions
    .map((institutionId, i) => ({ institutionId, at: letter.responses[i] }))
    .filter((a): a is { institutionId: string; at: Date } => a.at !== null)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const answer of answers)
    out.push(
      step('TANGGAPAN', 'PETUGAS', { institutionId: answer.institutionId, summary: 'impor' }, answer.at),
    );
  // Every institution answered: the old desk closed the case with the last answer.
  if (answers.length > 0 && answers.length === letter.institutions.length)
    out.push(step('SELESAI', 'KABID', {}, answers[answers.length - 1].at));
  return out;
}

export const LEGACY: LegacyImport = {
  outcomes: ['PROSES', 'FILE', 'TELAAH_FILE', 'TELAAH_REKOMENDASI', 'REKOMENDASI'],
  letterOutcomes: ['TELAAH_REKOMENDASI', 'REKOMENDASI'],
  events,
};
