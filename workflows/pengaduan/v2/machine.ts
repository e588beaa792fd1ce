/**
 * Complaint handling (pengaduan), workflow version 2: every path of version 1, with the same
 * event names and roles, plus mediation (upaya perdamaian, Permenkumham 23/2022). Approving a
 * review may conclude MEDIASI: pre-mediation (both parties asked, a mediator named), the sessions
 * (pausable with TUNDA), and the monitoring of the agreement. A refusal, a failure or a broken
 * agreement continues on the recommendation letter path, as TELAAH_REKOMENDASI.
 *
 * Built on version 1's states, which stay as they are; immutable once shipped, like v1.
 */
import { and, assign, createMachine } from 'xstate';
import type { Actor } from '../../types';
import { EVENT_TYPES as V1_EVENT_TYPES, machine as v1, step, type PengaduanContext } from '../v1/machine';

export interface PengaduanV2Context extends PengaduanContext {
  /** The officer of the unit who leads the mediation, once both parties agreed. */
  mediatorId: string | null;
}

export const MEDIATION_EVENT_TYPES = [
  'MEDIASI_DISETUJUI',
  'MEDIASI_DITOLAK',
  'MEDIASI_BERHASIL',
  'MEDIASI_GAGAL',
  'KESEPAKATAN_DILAKSANAKAN',
  'KESEPAKATAN_DIINGKARI',
] as const;

export const EVENT_TYPES: readonly string[] = [...V1_EVENT_TYPES, ...MEDIATION_EVENT_TYPES];

const KABID: Actor[] = ['KABID'];

/** Back to the letter path: the review's conclusion becomes a recommendation. */
const toRecommendation = {
  target: '#pengaduan.rekomendasi',
  actions: assign({ jalur: 'TELAAH_REKOMENDASI' as const }),
};

interface NodeConfig {
  initial?: string;
  meta?: unknown;
  on?: Record<string, unknown>;
  states?: Record<string, NodeConfig>;
}

const v1Config = v1.config as unknown as { context: PengaduanContext; states: Record<string, NodeConfig> };
const telaah = v1Config.states.telaah;
const approval = telaah.states!.persetujuan;
const approvalBranches = approval.on!.SETUJUI_TELAAH as unknown[];

const mediasi = {
  initial: 'persiapan',
  states: {
    persiapan: step({
      langkah: 7,
      nama: 'Pramediasi: persetujuan para pihak dan penunjukan mediator',
      batas: { hari: 5 },
      on: {
        MEDIASI_DISETUJUI: { roles: KABID, do: { target: 'pelaksanaan', actions: 'catatMediator' } },
        MEDIASI_DITOLAK: { roles: KABID, do: toRecommendation },
      },
    }),
    pelaksanaan: step({
      langkah: 7,
      nama: 'Pelaksanaan mediasi',
      batas: { hari: 30 },
      bisaDitunda: true,
      on: {
        MEDIASI_BERHASIL: { roles: KABID, do: { target: 'pemantauan' } },
        MEDIASI_GAGAL: { roles: KABID, do: toRecommendation },
      },
    }),
    pemantauan: step({
      langkah: 7,
      nama: 'Pemantauan pelaksanaan kesepakatan',
      batas: { hari: 30 },
      on: {
        KESEPAKATAN_DILAKSANAKAN: { roles: KABID, do: { target: '#pengaduan.selesai' } },
        KESEPAKATAN_DIINGKARI: { roles: KABID, do: toRecommendation },
      },
    }),
  },
};

export const machine = createMachine({
  ...(v1.config as object),
  context: { ...v1Config.context, mediatorId: null } satisfies PengaduanV2Context,
  states: {
    ...v1Config.states,
    telaah: {
      ...telaah,
      states: {
        ...telaah.states,
        persetujuan: {
          ...approval,
          on: {
            ...approval.on,
            SETUJUI_TELAAH: [
              {
                guard: and(['tidakDitunda', 'kesimpulanMediasi']),
                target: '#pengaduan.mediasi',
                actions: assign({ jalur: 'TELAAH_MEDIASI' as const }),
              },
              ...approvalBranches,
            ],
          },
        },
      },
    },
    mediasi,
  },
} as never).provide({
  guards: {
    ...(v1.implementations.guards as object),
    kesimpulanMediasi: ({ event }: { event: { type: string; kesimpulan?: string } }) =>
      event.type === 'SETUJUI_TELAAH' && event.kesimpulan === 'MEDIASI',
  },
  actions: {
    ...(v1.implementations.actions as object),
    catatMediator: assign({
      mediatorId: ({ event }: { event: { mediatorId?: string } }) => event.mediatorId ?? null,
    }),
  },
});
