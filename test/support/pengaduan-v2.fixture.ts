/**
 * A second version of the complaint workflow, for proving that publishing a version leaves
 * running cases on theirs. It differs from v1 in one visible way: the desk may file a complaint
 * straight from intake (FILE in terima.pemeriksaan).
 */
import { createMachine } from 'xstate';
import type { WorkflowDefinition } from '../../workflows';
import { EVENT_TYPES, machine as v1 } from '../../workflows/pengaduan/v1';

type NodeConfig = {
  meta: { peran: Record<string, string[]> };
  on: Record<string, unknown>;
  states?: Record<string, NodeConfig>;
};

const config = v1.config as unknown as { states: Record<string, NodeConfig> };
const intake = config.states.terima.states!.pemeriksaan;

const machine = createMachine({
  ...(v1.config as object),
  states: {
    ...config.states,
    terima: {
      ...config.states.terima,
      states: {
        ...config.states.terima.states,
        pemeriksaan: {
          ...intake,
          meta: { ...intake.meta, peran: { ...intake.meta.peran, FILE: ['PETUGAS'] } },
          on: { ...intake.on, FILE: { target: '#pengaduan.file' } },
        },
      },
    },
  },
} as never).provide(v1.implementations as never);

export const pengaduanV2Fixture: WorkflowDefinition = {
  id: 'pengaduan',
  version: 2,
  title: 'v2 (test fixture)',
  machine,
  eventTypes: EVENT_TYPES,
};
