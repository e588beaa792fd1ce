import { escapeHtml, formatLocal } from '../common/format';
import { textOf } from '../common/body-field';

import type { EventMilestone } from '../../workflows';

export { MILESTONES, type EventMilestone, type Milestone } from '../../workflows';

/** Closing milestones, whose mail invites the complainant to the satisfaction survey. */
export const SURVEYED: EventMilestone[] = ['SELESAI', 'DIARSIPKAN', 'TIDAK_BERWENANG'];

export interface MilestoneFacts {
  registerNumber: string;
  at: Date;
  zone: string;
  payload: Record<string, unknown>;
  /** The complainant's deadline, for an incomplete file. */
  dueAt: Date | null;
  /** The single-use survey link, for a closing milestone. */
  surveyUrl?: string | null;
}

/**
 * The mail for a milestone, in plain Indonesian. It names no institution, officer or internal
 * note: only what the complainant needs to know or do.
 */
export function milestoneMail(
  milestone: EventMilestone,
  f: MilestoneFacts,
): { subject: string; text: string; html: string } {
  const when = formatLocal(f.at, f.zone);
  const lines: Record<EventMilestone, string[]> = {
    BERKAS_TIDAK_LENGKAP: [
      'Berkas pengaduan Anda belum lengkap. Yang perlu dilengkapi:',
      textOf(f.payload.kekurangan),
      f.dueAt
        ? `Mohon dilengkapi paling lambat ${formatLocal(f.dueAt, f.zone)} (10 hari sejak pemberitahuan ini); bila tidak, pengaduan dianggap dicabut.`
        : '',
    ],
    TIDAK_BERWENANG: [
      'Setelah diperiksa, pengaduan Anda bukan kewenangan kami. Pengaduan Anda dapat disampaikan kepada:',
      textOf(f.payload.referral),
    ],
    REKOMENDASI_DIKIRIM: [
      `Pada ${when} kami telah mengirimkan surat rekomendasi kepada instansi terkait atas pengaduan Anda.`,
    ],
    TANGGAPAN_DITERIMA: [
      `Pada ${when} instansi terkait telah menanggapi surat rekomendasi atas pengaduan Anda.`,
    ],
    SELESAI: [`Penanganan pengaduan Anda telah selesai pada ${when}. Terima kasih atas kepercayaan Anda.`],
    DIARSIPKAN: [`Pengaduan Anda telah ditutup dan diarsipkan pada ${when}.`],
    DICABUT: [
      `Karena berkas tidak dilengkapi dalam batas waktu, pengaduan Anda dianggap dicabut pada ${when}.`,
    ],
  };
  const subjects: Record<EventMilestone, string> = {
    BERKAS_TIDAK_LENGKAP: 'Berkas pengaduan belum lengkap',
    TIDAK_BERWENANG: 'Pengaduan bukan kewenangan kami',
    REKOMENDASI_DIKIRIM: 'Surat rekomendasi telah dikirim',
    TANGGAPAN_DITERIMA: 'Instansi telah menanggapi',
    SELESAI: 'Penanganan pengaduan selesai',
    DIARSIPKAN: 'Pengaduan ditutup',
    DICABUT: 'Pengaduan dianggap dicabut',
  };
  const body = lines[milestone].filter(Boolean);
  const text = [
    'Yth. Pengadu,',
    '',
    ...body,
    ...(f.surveyUrl
      ? [
          '',
          'Mohon luangkan waktu untuk menilai pelayanan kami (survei kepuasan masyarakat, sekali isi):',
          f.surveyUrl,
        ]
      : []),
    '',
    `Nomor register: ${f.registerNumber}. Perkembangan pengaduan dapat Anda ikuti dengan nomor register dan kode pelacakan pada tanda terima.`,
  ].join('\n');
  const subject = `${subjects[milestone]}: ${f.registerNumber}`;
  return {
    subject,
    text,
    html: text
      .split('\n')
      .map((l) => `<p>${escapeHtml(l)}</p>`)
      .join(''),
  };
}
