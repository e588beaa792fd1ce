import type { TestApp } from './test-app';

export interface UnitActors {
  petugas: string;
  kasubbid: string;
  kabid: string;
  kadiv: string;
  kakanwil: string;
  pemantau: string;
}

/** One user per role of a unit's chain, plus a read-only monitor; returns their tokens. */
export async function unitActors(t: TestApp, unitCode: string, prefix: string): Promise<UnitActors> {
  const [petugas, kasubbid, kabid, kadiv, kakanwil, pemantau] = await Promise.all([
    t.user(`${prefix}.petugas`, unitCode, ['PETUGAS']),
    t.user(`${prefix}.kasubbid`, unitCode, ['KASUBBID']),
    t.user(`${prefix}.kabid`, unitCode, ['KABID']),
    t.user(`${prefix}.kadiv`, unitCode, ['KADIV']),
    t.user(`${prefix}.kakanwil`, unitCode, ['KAKANWIL']),
    t.user(`${prefix}.pemantau`, unitCode, ['PEMANTAU']),
  ]);
  return { petugas, kasubbid, kabid, kadiv, kakanwil, pemantau };
}

export function eventSender(t: TestApp) {
  return async (
    token: string,
    caseId: string,
    event: Record<string, unknown>,
    expected = 200,
    ifMatch?: number,
  ) => {
    let req = t.http().post(`/api/cases/${caseId}/events`).set('Authorization', `Bearer ${token}`);
    if (ifMatch !== undefined) req = req.set('If-Match', `"${ifMatch}"`);
    // The scenarios replay dated events from their files: recorded later than a working day after
    // they happened, each needs its reason (test/trust-records.e2e-spec.ts checks the refusal).
    const late = event.occurredAt !== undefined && event.alasanTerlambat === undefined;
    const res = await req.send(
      late ? { ...event, alasanTerlambat: 'dicatat dari berkas skenario uji' } : event,
    );
    if (res.status !== expected) {
      throw new Error(
        `${String(event.type)}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  };
}
