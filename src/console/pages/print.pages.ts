/**
 * The printed forms the offices use, laid out for A4: the disposition sheet (lembar disposisi) of a
 * case, and the heading (the office's name and address) that it and the receipt carry.
 */
import type { ApiClient } from '../api-client';
import type { ConsoleRoutes } from '../console.router';
import { eventLabels, referenceNames, units, zoneOf } from '../reference-cache';
import { holdsAny, UNIT_HEADS } from '../../common/access-policy';
import { label, ROLE_LABELS } from '../format';

export interface OfficeHeading {
  name: string;
  address: string | null;
}

/** The office a form is printed for: its name, and its address from the unit's settings. */
export async function officeHeading(api: ApiClient, unitCode: string): Promise<OfficeHeading> {
  const [list, settings] = await Promise.all([
    units(api),
    api
      .get<{ officeAddress: string | null }>(`/units/${encodeURIComponent(unitCode)}/settings`)
      .catch(() => ({ officeAddress: null })),
  ]);
  return { name: list.find((u) => u.code === unitCode)?.name ?? unitCode, address: settings.officeAddress };
}

interface HistoryEntry {
  type: string;
  occurredAt: string;
  actor: { username: string; roles: string[] };
  payload: Record<string, unknown> | null;
}

export function registerPrintPages(routes: ConsoleRoutes): void {
  // The written notice for a complainant the desk cannot mail (the API reads it as a reveal).
  routes.page('get', '/kasus/:id/surat-pengadu', async ({ api, req, render }) => {
    const id = String(req.params.id);
    const letter = await api.get<{
      subject: string;
      text: string;
      date: string;
      unitCode: string;
      registerNumber: string;
      recipient: { name: string; address: string | null };
    }>(`/cases/${encodeURIComponent(id)}/complainant-letter`);
    const [office, zone] = await Promise.all([
      officeHeading(api, letter.unitCode),
      zoneOf(api, letter.unitCode),
    ]);
    render('complainant-letter', {
      title: `Surat kepada pengadu ${letter.registerNumber}`,
      caseId: id,
      letter,
      office,
      zone,
      printedAt: new Date().toISOString(),
      // The letter is dated the office's day, not UTC's.
      printedOn: new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date()),
    });
  });

  routes.page('get', '/kasus/:id/lembar-disposisi', async ({ api, req, render }) => {
    const path = `/cases/${encodeURIComponent(String(req.params.id))}`;
    const item = await api.get<{
      id: string;
      unitCode: string;
      registerNumber: string;
      receivedAt: string;
      channel: string;
      summary: string;
      assignee: { fullName: string } | null;
      complainant?: { confidential: boolean };
    }>(path);
    const [history, office, zone, labels, names, officers] = await Promise.all([
      api.get<HistoryEntry[]>(`${path}/history`),
      officeHeading(api, item.unitCode),
      zoneOf(api, item.unitCode),
      eventLabels(api),
      referenceNames(api),
      api
        .get<{ id: string; fullName: string }[]>(`/units/${encodeURIComponent(item.unitCode)}/officers`)
        .catch(() => []),
    ]);
    const officer = (id: unknown) =>
      typeof id === 'string' ? (officers.find((o) => o.id === id)?.fullName ?? 'petugas lain') : null;
    // Each level's disposition: what the unit's heads ordered, and who the case was given to.
    const levels = history
      .filter((e) => holdsAny(e.actor.roles, UNIT_HEADS) || e.payload?.assigneeId !== undefined)
      .map((e) => {
        const given = e.payload && 'assigneeId' in e.payload ? officer(e.payload.assigneeId) : undefined;
        const note = typeof e.payload?.catatan === 'string' ? e.payload.catatan : '';
        return {
          level: e.actor.roles.map((r) => label(ROLE_LABELS, r)).join(', '),
          at: e.occurredAt,
          officer: e.actor.username,
          instruction: [
            label(labels, e.type),
            note,
            given === undefined ? '' : `ditugaskan kepada ${given ?? 'antrean bersama unit'}`,
          ]
            .filter(Boolean)
            .join('; '),
        };
      });
    render('disposition-sheet', {
      title: `Lembar disposisi ${item.registerNumber}`,
      item,
      office,
      zone,
      levels,
      channel: names.saluran[item.channel] ?? item.channel,
      printedAt: new Date().toISOString(),
    });
  });
}
