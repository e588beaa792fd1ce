/**
 * Complaint handling (pengaduan), workflow version 1.
 *
 * The SOP "Kegiatan Pelayanan Komunikasi Masyarakat" (12 steps) plus the intake rules of
 * Permenkumham 23/2022 (incomplete file, deemed withdrawn, not competent, delegation).
 * Immutable once shipped: running cases stay on the version they started with, so a change
 * of behaviour is a new pack (../v2/) registered in ../../index.ts, never an edit here.
 */
import { and, assign, not, setup } from 'xstate';
import type { Actor, Batas, Kategori, PemilikJam, StepMeta } from '../../types';

export interface PengaduanContext {
  /** The decision that fixes the recap category; null while the case is still PROSES. */
  jalur: Exclude<Kategori, 'PROSES'> | null;
  /** Why a case was filed (FILE reason, TIDAK_BERWENANG, DICABUT, TELAAH). */
  alasanFile: string | null;
  ditunda: boolean;
  audiensi: boolean;
  /** Institutions whose response to the current letter round is still awaited. */
  menunggu: string[];
  /** Institutions that have answered, over all letter rounds. */
  ditanggapi: string[];
  /** Responses received in the current letter round. */
  tanggapanPutaranIni: number;
  putaranSurat: number;
  /** How often the case was transferred between the centre and a regional office. */
  pelimpahan: number;
}

export type PengaduanEvent =
  | { type: 'DISPOSISI'; catatan?: string }
  | { type: 'FILE'; reason: string }
  | { type: 'REKOMENDASI_SEGERA'; catatan?: string }
  | { type: 'TELAAH'; catatan?: string }
  | { type: 'AJUKAN_TELAAH'; catatan?: string }
  | { type: 'TOLAK_TELAAH'; catatan?: string }
  | { type: 'SETUJUI_TELAAH'; kesimpulan: 'FILE' | 'REKOMENDASI'; audiensi: boolean }
  | { type: 'AUDIENSI_SELESAI'; catatan?: string }
  | { type: 'AJUKAN_SURAT'; catatan?: string }
  | { type: 'TOLAK_SURAT'; catatan?: string }
  | { type: 'SETUJUI_SURAT'; catatan?: string }
  | { type: 'KIRIM_SURAT'; institutionIds: string[]; letterNumber: string; letterAttachmentId?: string }
  | { type: 'TANGGAPAN'; institutionId: string; summary: string }
  | { type: 'SELESAI'; catatan?: string }
  | { type: 'TINDAK_LANJUT_ULANG'; catatan?: string }
  | { type: 'TUNDA'; reason: string }
  | { type: 'LANJUTKAN'; catatan?: string }
  | { type: 'LIMPAHKAN'; unitCode: string; catatan?: string }
  | { type: 'BERKAS_TIDAK_LENGKAP'; kekurangan: string }
  | { type: 'BERKAS_DILENGKAPI'; catatan?: string }
  | { type: 'TIDAK_BERWENANG'; referral: string }
  | { type: 'DICABUT' };

export const EVENT_TYPES = [
  'DISPOSISI',
  'FILE',
  'REKOMENDASI_SEGERA',
  'TELAAH',
  'AJUKAN_TELAAH',
  'TOLAK_TELAAH',
  'SETUJUI_TELAAH',
  'AUDIENSI_SELESAI',
  'AJUKAN_SURAT',
  'TOLAK_SURAT',
  'SETUJUI_SURAT',
  'KIRIM_SURAT',
  'TANGGAPAN',
  'SELESAI',
  'TINDAK_LANJUT_ULANG',
  'TUNDA',
  'LANJUTKAN',
  'LIMPAHKAN',
  'BERKAS_TIDAK_LENGKAP',
  'BERKAS_DILENGKAPI',
  'TIDAK_BERWENANG',
  'DICABUT',
] as const;

const PENELAAH: Actor[] = ['PETUGAS', 'KASUBBID'];
const PENGELOLA: Actor[] = ['PETUGAS', 'KASUBBID', 'KABID'];

/** One event handler of a state: who may send it and what it does. */
interface Handler {
  roles: readonly Actor[];
  // XState's transition config types are too deep to restate here; the machine checks them.
  do: any;
}

interface StepOptions {
  langkah: number | null;
  nama: string;
  batas: Batas | null;
  jam?: PemilikJam;
  /** Whether work in this state can be suspended (TUNDA) waiting for the complainant. */
  bisaDitunda?: boolean;
  on: Record<string, Handler>;
}

const TUNDA_ROLES: Actor[] = PENGELOLA;

/**
 * Builds a state node whose `meta` and `on` come from one table, so the roles the service
 * checks are always those of the transitions the machine takes. Suspension is a flag, not a
 * state: every handler is guarded by `tidakDitunda`, and the state path stays where the work is.
 */
export function step(options: StepOptions): any {
  const on: Record<string, unknown> = {};
  const peran: Record<string, readonly Actor[]> = {};
  for (const [type, handler] of Object.entries(options.on)) {
    peran[type] = handler.roles;
    const branches = Array.isArray(handler.do) ? handler.do : [handler.do];
    on[type] = branches.map((branch: any) => ({
      ...branch,
      guard: branch.guard ? and(['tidakDitunda', branch.guard]) : 'tidakDitunda',
    }));
  }
  if (options.bisaDitunda) {
    peran.TUNDA = TUNDA_ROLES;
    peran.LANJUTKAN = TUNDA_ROLES;
    on.TUNDA = { guard: 'tidakDitunda', actions: 'tunda' };
    on.LANJUTKAN = { guard: not('tidakDitunda'), actions: 'lanjutkan' };
  }
  const meta: StepMeta = {
    langkah: options.langkah,
    nama: options.nama,
    batas: options.batas,
    jam: options.jam ?? 'KASUS',
    peran,
  };
  return { meta, on };
}

const toFile = (jalur: Exclude<Kategori, 'PROSES'>, alasan: (event: any) => string) => ({
  target: '#pengaduan.file',
  actions: assign({ jalur, alasanFile: ({ event }: any) => alasan(event) }),
});

export const machine = setup({
  types: {
    context: {} as PengaduanContext,
    events: {} as PengaduanEvent,
  },
  guards: {
    tidakDitunda: ({ context }) => !context.ditunda,
    kesimpulanFile: ({ event }) => event.type === 'SETUJUI_TELAAH' && event.kesimpulan === 'FILE',
    denganAudiensi: ({ event }) => event.type === 'SETUJUI_TELAAH' && event.audiensi === true,
    tanggapanTerakhir: ({ context, event }) =>
      event.type === 'TANGGAPAN' &&
      context.menunggu.includes(event.institutionId) &&
      context.menunggu.length === 1,
    adaTanggapanPutaranIni: ({ context }) => context.tanggapanPutaranIni > 0,
    adaYangMenunggu: ({ context }) => context.menunggu.length > 0,
  },
  actions: {
    tunda: assign({ ditunda: true }),
    lanjutkan: assign({ ditunda: false }),
    catatPelimpahan: assign({ pelimpahan: ({ context }) => context.pelimpahan + 1 }),
    catatTanggapan: assign(({ context, event }) => {
      if (event.type !== 'TANGGAPAN') return {};
      return {
        menunggu: context.menunggu.filter((id) => id !== event.institutionId),
        ditanggapi: context.ditanggapi.includes(event.institutionId)
          ? context.ditanggapi
          : [...context.ditanggapi, event.institutionId],
        tanggapanPutaranIni: context.tanggapanPutaranIni + 1,
      };
    }),
    catatPengiriman: assign(({ context, event }) => {
      if (event.type !== 'KIRIM_SURAT') return {};
      return {
        menunggu: [...new Set([...context.menunggu, ...event.institutionIds])],
        tanggapanPutaranIni: 0,
        putaranSurat: context.putaranSurat + 1,
      };
    }),
  },
}).createMachine({
  id: 'pengaduan',
  context: {
    jalur: null,
    alasanFile: null,
    ditunda: false,
    audiensi: false,
    menunggu: [],
    ditanggapi: [],
    tanggapanPutaranIni: 0,
    putaranSurat: 0,
    pelimpahan: 0,
  },
  initial: 'terima',
  states: {
    terima: {
      initial: 'pemeriksaan',
      states: {
        // Step 1 and the intake checks of the 2022 regulation (completeness, competence: 5 days).
        pemeriksaan: step({
          langkah: 1,
          nama: 'Penerimaan dan pemeriksaan kelengkapan berkas',
          batas: { hari: 5 },
          on: {
            DISPOSISI: { roles: PENELAAH, do: { target: '#pengaduan.disposisi.kakanwil' } },
            BERKAS_TIDAK_LENGKAP: { roles: PENELAAH, do: { target: 'menunggu_kelengkapan' } },
            TIDAK_BERWENANG: {
              roles: [...PENELAAH, 'KABID'],
              do: toFile('FILE', (e) => `TIDAK_BERWENANG: ${e.referral ?? ''}`.trim()),
            },
            LIMPAHKAN: {
              roles: ['KAKANWIL'],
              do: { target: '#pengaduan.terima.pemeriksaan', reenter: true, actions: 'catatPelimpahan' },
            },
          },
        }),
        // The complainant has 10 days from the written notice; the case's own clock is paused.
        menunggu_kelengkapan: step({
          langkah: null,
          nama: 'Menunggu kelengkapan berkas dari pengadu',
          batas: { hari: 10 },
          jam: 'PENGADU',
          on: {
            BERKAS_DILENGKAPI: { roles: PENELAAH, do: { target: 'pemeriksaan' } },
            DICABUT: {
              roles: ['SISTEM'],
              do: toFile(
                'FILE',
                () => 'DICABUT: berkas tidak dilengkapi dalam 10 hari (Permenkumham 23/2022)',
              ),
            },
          },
        }),
      },
    },
    disposisi: {
      initial: 'kakanwil',
      states: {
        kakanwil: step({
          langkah: 2,
          nama: 'Disposisi Kakanwil',
          batas: { hari: 1 },
          bisaDitunda: true,
          on: {
            DISPOSISI: { roles: ['KAKANWIL'], do: { target: 'kadiv' } },
            FILE: { roles: ['KAKANWIL'], do: toFile('FILE', (e) => e.reason) },
            LIMPAHKAN: {
              roles: ['KAKANWIL'],
              do: { target: '#pengaduan.terima.pemeriksaan', actions: 'catatPelimpahan' },
            },
          },
        }),
        kadiv: step({
          langkah: 3,
          nama: 'Disposisi Kadiv Yankumham',
          batas: { hari: 1 },
          bisaDitunda: true,
          on: {
            DISPOSISI: { roles: ['KADIV'], do: { target: 'kabid' } },
            FILE: { roles: ['KADIV'], do: toFile('FILE', (e) => e.reason) },
          },
        }),
        kabid: step({
          langkah: 4,
          nama: 'Perintah penanganan oleh Kabid HAM',
          batas: { hari: 1 },
          bisaDitunda: true,
          on: {
            TELAAH: { roles: ['KABID'], do: { target: '#pengaduan.telaah' } },
            REKOMENDASI_SEGERA: {
              roles: ['KABID'],
              do: { target: '#pengaduan.rekomendasi', actions: assign({ jalur: 'REKOMENDASI' }) },
            },
            FILE: { roles: ['KABID'], do: toFile('FILE', (e) => e.reason) },
            TIDAK_BERWENANG: {
              roles: ['KABID'],
              do: toFile('FILE', (e) => `TIDAK_BERWENANG: ${e.referral ?? ''}`.trim()),
            },
          },
        }),
      },
    },
    telaah: {
      initial: 'penyusunan',
      states: {
        penyusunan: step({
          langkah: 5,
          nama: 'Penelaahan dan penyusunan draft telaahan',
          batas: { hari: 30 },
          bisaDitunda: true,
          on: {
            AJUKAN_TELAAH: { roles: PENELAAH, do: { target: 'persetujuan' } },
          },
        }),
        persetujuan: step({
          langkah: 6,
          nama: 'Persetujuan draft telaahan',
          batas: { hari: 7 },
          bisaDitunda: true,
          on: {
            TOLAK_TELAAH: { roles: ['KABID'], do: { target: 'penyusunan' } },
            SETUJUI_TELAAH: {
              roles: ['KABID'],
              do: [
                { guard: 'kesimpulanFile', ...toFile('TELAAH_FILE', () => 'TELAAH: kesimpulan FILE') },
                {
                  guard: 'denganAudiensi',
                  target: 'audiensi',
                  actions: assign({ jalur: 'TELAAH_REKOMENDASI', audiensi: true }),
                },
                { target: '#pengaduan.rekomendasi', actions: assign({ jalur: 'TELAAH_REKOMENDASI' }) },
              ],
            },
          },
        }),
        audiensi: step({
          langkah: 7,
          nama: 'Koordinasi / audiensi',
          batas: { hari: 1 },
          bisaDitunda: true,
          on: {
            AUDIENSI_SELESAI: { roles: PENELAAH, do: { target: '#pengaduan.rekomendasi' } },
          },
        }),
      },
    },
    rekomendasi: {
      initial: 'penyusunan',
      states: {
        penyusunan: step({
          langkah: 8,
          nama: 'Penyusunan surat rekomendasi',
          batas: { hari: 3 },
          bisaDitunda: true,
          on: {
            AJUKAN_SURAT: { roles: PENELAAH, do: { target: 'persetujuan' } },
          },
        }),
        // One approval, by the official who signs: the Kakanwil, or the Kadiv on his behalf.
        persetujuan: step({
          langkah: 9,
          nama: 'Persetujuan surat rekomendasi',
          batas: { hari: 3 },
          bisaDitunda: true,
          on: {
            TOLAK_SURAT: { roles: ['KAKANWIL', 'KADIV'], do: { target: 'penyusunan' } },
            SETUJUI_SURAT: { roles: ['KAKANWIL', 'KADIV'], do: { target: 'pengiriman' } },
          },
        }),
        pengiriman: step({
          langkah: 10,
          nama: 'Pengiriman surat rekomendasi',
          batas: { menit: 20 },
          on: {
            KIRIM_SURAT: {
              roles: ['PETUGAS'],
              do: { target: '#pengaduan.menunggu_tanggapan', actions: 'catatPengiriman' },
            },
          },
        }),
      },
    },
    // Step 11: the institutions' 30 days; one TANGGAPAN per responding institution.
    menunggu_tanggapan: step({
      langkah: 11,
      nama: 'Menunggu tanggapan instansi',
      batas: { hari: 30 },
      jam: 'INSTITUSI',
      on: {
        TANGGAPAN: {
          roles: PENELAAH,
          do: [
            { guard: 'tanggapanTerakhir', target: 'tanggapan', actions: 'catatTanggapan' },
            { actions: 'catatTanggapan' },
          ],
        },
        // Evaluation may start on a partial answer: the other institutions can still respond.
        SELESAI: { roles: ['KABID'], do: { guard: 'adaTanggapanPutaranIni', target: 'selesai' } },
        TINDAK_LANJUT_ULANG: {
          roles: ['KABID'],
          do: { guard: 'adaTanggapanPutaranIni', target: '#pengaduan.rekomendasi' },
        },
      },
    }),
    // Step 12: evaluation of the responses.
    tanggapan: step({
      langkah: 12,
      nama: 'Evaluasi tanggapan',
      batas: { hari: 1 },
      on: {
        SELESAI: { roles: ['KABID'], do: { target: 'selesai' } },
        TINDAK_LANJUT_ULANG: { roles: ['KABID'], do: { target: '#pengaduan.rekomendasi' } },
      },
    }),
    // Closed; an institution that had not answered may still do so and is recorded.
    selesai: step({
      langkah: null,
      nama: 'Selesai',
      batas: null,
      on: {
        TANGGAPAN: { roles: PENELAAH, do: { guard: 'adaYangMenunggu', actions: 'catatTanggapan' } },
      },
    }),
    file: {
      type: 'final',
      meta: {
        langkah: null,
        nama: 'Diarsipkan (file)',
        batas: null,
        jam: 'KASUS',
        peran: {},
      } satisfies StepMeta,
    },
  },
});
