import type { ApiClient } from './api-client';
import type { EventForm } from '../../workflows';
import { RECORD_LABELS } from './format';

export interface Unit {
  code: string;
  name: string;
  kind: string;
  provinceCode: string | null;
  timeZone: string;
  parentCode: string | null;
  active: boolean;
}

export interface Province {
  code: string;
  name: string;
  kind: string;
  timeZone: string;
}

export interface ReferenceItem {
  code: string;
  name: string;
  active?: boolean;
}

const TTL_MS = 60_000;
const cache = new Map<string, { at: number; value: unknown }>();

/**
 * Reference data (units, provinces, lists) read through the API and kept for a minute: it is the
 * same for every user and changes rarely, and an admin's edit shows within that minute.
 */
async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value as T;
  const value = await load();
  cache.set(key, { at: Date.now(), value });
  return value;
}

export function forgetReference(key?: string): void {
  if (key) cache.delete(key);
  else cache.clear();
}

export const units = (api: ApiClient) => cached('units', () => api.get<Unit[]>('/units'));
export const provinces = (api: ApiClient) => cached('provinces', () => api.get<Province[]>('/provinces'));
export const referenceList = (api: ApiClient, kind: string) =>
  cached(`ref:${kind}`, () => api.get<ReferenceItem[]>(`/reference/${kind}`));

export async function zoneOf(api: ApiClient, unitCode: string): Promise<string> {
  return (await units(api)).find((u) => u.code === unitCode)?.timeZone ?? 'Asia/Jakarta';
}

export async function zonesByUnit(api: ApiClient): Promise<Record<string, string>> {
  return Object.fromEntries((await units(api)).map((u) => [u.code, u.timeZone]));
}

interface WorkflowSteps {
  id: string;
  version: number;
  steps: { path: string; name: string; step: number | null }[];
  closedStates: string[];
  stages: [string, string][];
  forms: Record<string, EventForm>;
}

/** The SOP's stages over every workflow version, in order, for the case lists' state filter. */
export async function workflowStages(api: ApiClient): Promise<[string, string][]> {
  const workflows = await cached('workflows', () => api.get<WorkflowSteps[]>('/workflows'));
  const stages = new Map<string, string>();
  for (const w of [...workflows].sort((a, b) => b.version - a.version))
    for (const [prefix, name] of w.stages) if (!stages.has(prefix)) stages.set(prefix, name);
  return [...stages];
}

/** The event forms of one workflow version (GET /api/workflows): what its cases' actions ask. */
export async function workflowForms(
  api: ApiClient,
  workflow: { id: string; version: number },
): Promise<Record<string, EventForm>> {
  const workflows = await cached('workflows', () => api.get<WorkflowSteps[]>('/workflows'));
  return workflows.find((w) => w.id === workflow.id && w.version === workflow.version)?.forms ?? {};
}

/** Every event's form over the workflow versions, the newest's first: for a form as it is posted. */
export async function allEventForms(api: ApiClient): Promise<Record<string, EventForm>> {
  const workflows = await cached('workflows', () => api.get<WorkflowSteps[]>('/workflows'));
  return Object.assign(
    {},
    ...[...workflows].sort((a, b) => a.version - b.version).map((w) => w.forms),
  ) as Record<string, EventForm>;
}

/** The label of every event and history record, for the history and the notices. */
export async function eventLabels(api: ApiClient): Promise<Record<string, string>> {
  const forms = await allEventForms(api);
  return {
    ...Object.fromEntries(Object.entries(forms).map(([type, form]) => [type, form.label])),
    ...RECORD_LABELS,
  };
}

/** Step names by state path, from every workflow version (the SOP's own wording). */
export async function stepNames(api: ApiClient): Promise<Record<string, string>> {
  const workflows = await cached('workflows', () => api.get<WorkflowSteps[]>('/workflows'));
  return Object.fromEntries(
    workflows.flatMap((w) => w.steps.map((s) => [s.path, s.step ? `${s.step}. ${s.name}` : s.name])),
  );
}

/** Names for the codes a case carries (rights, theme, reported party, channel, province), by kind. */
export async function referenceNames(
  api: ApiClient,
): Promise<Record<'hak' | 'tema' | 'pihak' | 'saluran' | 'provinsi', Record<string, string>>> {
  const [rights, themes, parties, channels, provinceList] = await Promise.all([
    referenceList(api, 'hak'),
    referenceList(api, 'tema'),
    referenceList(api, 'pihak-teradu'),
    referenceList(api, 'saluran'),
    provinces(api),
  ]);
  const byCode = (items: { code: string; name: string }[]) =>
    Object.fromEntries(items.map((i) => [i.code, i.name]));
  return {
    hak: byCode(rights),
    tema: byCode(themes),
    pihak: byCode(parties),
    saluran: byCode(channels),
    provinsi: byCode(provinceList),
  };
}
