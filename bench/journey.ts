/**
 * The path the bench drives each case along, and the event-path test walks: 11 events by the
 * four roles of a Kanwil, through every effect of a recommendation (new steps and their clocks,
 * a letter round to one institution that opens its dispatch, its answer, the first follow-up,
 * closing).
 */
export function recommendationJourney(
  institutionId: string,
  letterNumber: string,
): [role: 'petugas' | 'kakanwil' | 'kadiv' | 'kabid', event: { type: string } & Record<string, unknown>][] {
  return [
    ['petugas', { type: 'DISPOSISI' }],
    ['kakanwil', { type: 'DISPOSISI' }],
    ['kadiv', { type: 'DISPOSISI' }],
    ['kabid', { type: 'TELAAH' }],
    ['petugas', { type: 'AJUKAN_TELAAH' }],
    ['kabid', { type: 'SETUJUI_TELAAH', kesimpulan: 'REKOMENDASI', audiensi: false }],
    ['petugas', { type: 'AJUKAN_SURAT' }],
    ['kakanwil', { type: 'SETUJUI_SURAT' }],
    ['petugas', { type: 'KIRIM_SURAT', institutionIds: [institutionId], letterNumber }],
    ['petugas', { type: 'TANGGAPAN', institutionId, summary: 'ditindaklanjuti' }],
    ['kabid', { type: 'SELESAI' }],
  ];
}
