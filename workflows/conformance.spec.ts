/**
 * The conformance suite every shipped workflow version must pass: every reachable state has its
 * step meta; every allowed event has roles, a payload schema that its samples satisfy, and
 * effects the service handles; every projection (category, public stage, closed) is defined; and
 * random event sequences by random roles keep the invariants: the history is as long as the
 * version, a closed case takes no more work, its category is decided, and counts by category add
 * up to the cases. A new version, or a new event, must add its samples here.
 */
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import { transition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import {
  allowedEvents,
  decide,
  initialState,
  isClosed,
  KATEGORI,
  PUBLIC_STAGES,
  restore,
  ROLES,
  SHIPPED_WORKFLOWS,
  SISTEM,
  statePath,
  stepHolders,
  stepMeta,
  type StoredState,
  type WorkflowDefinition,
} from '.';
import { validateInto } from '../src/common/validation';
import { HANDLED_EFFECTS } from '../src/cases/case-events.service';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const MEDIATOR = '00000000-0000-4000-8000-0000000000aa';

/** Payload variants of each event type, so that every guarded branch is reached. */
const SAMPLES: Record<string, Record<string, unknown>[]> = {
  DISPOSISI: [{}],
  FILE: [{ reason: 'tembusan' }],
  REKOMENDASI_SEGERA: [{}],
  TELAAH: [{}],
  AJUKAN_TELAAH: [{}],
  TOLAK_TELAAH: [{}],
  SETUJUI_TELAAH: [
    { kesimpulan: 'FILE', audiensi: false },
    { kesimpulan: 'REKOMENDASI', audiensi: true },
    { kesimpulan: 'REKOMENDASI', audiensi: false },
    { kesimpulan: 'MEDIASI', audiensi: false },
  ],
  AUDIENSI_SELESAI: [{}],
  AJUKAN_SURAT: [{}],
  TOLAK_SURAT: [{}],
  SETUJUI_SURAT: [{}],
  KIRIM_SURAT: [{ institutionIds: [A, B], letterNumber: 'S-1' }],
  TANGGAPAN: [
    { institutionId: A, summary: 'diterima' },
    { institutionId: B, summary: 'diterima' },
  ],
  SELESAI: [{}],
  TINDAK_LANJUT_ULANG: [{}],
  TUNDA: [{ reason: 'menunggu dokumen' }],
  LANJUTKAN: [{}],
  LIMPAHKAN: [{ unitCode: 'PUSAT' }],
  BERKAS_TIDAK_LENGKAP: [{ kekurangan: 'KTP' }],
  BERKAS_DILENGKAPI: [{}],
  TIDAK_BERWENANG: [{ referral: 'Komnas HAM' }],
  DICABUT: [{}],
  MEDIASI_DISETUJUI: [{ mediatorId: MEDIATOR, institutionIds: [A] }],
  MEDIASI_DITOLAK: [{ pihak: 'TERADU', alasan: 'tidak bersedia' }],
  MEDIASI_BERHASIL: [{ kesepakatan: 'lahan dikembalikan' }],
  MEDIASI_GAGAL: [{ alasan: 'tidak sepakat' }],
  KESEPAKATAN_DILAKSANAKAN: [{}],
  KESEPAKATAN_DIINGKARI: [{ alasan: 'tidak dibayar' }],
};

/** The samples a version accepts: its choices (PILIHAN checks) leave out what it does not offer. */
function samplesOf(definition: WorkflowDefinition) {
  return definition.eventTypes.flatMap((type) =>
    (SAMPLES[type] ?? [])
      .filter((payload) =>
        (definition.checks[type] ?? []).every(
          (check) => check.kind !== 'PILIHAN' || check.values.includes(String(payload[check.field])),
        ),
      )
      .map((payload) => ({ type, ...payload })),
  );
}

/** The fields a payload class declares (its class-validator metadata). */
function payloadFields(definition: WorkflowDefinition, type: string): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(
    definition.payloads[type],
    '',
    true,
    false,
  );
  return [...new Set(metadata.map((m) => m.propertyName))];
}

const serialize = (s: { value: unknown; context: Record<string, unknown> }) =>
  JSON.stringify({
    v: s.value,
    jalur: s.context.jalur,
    ditunda: s.context.ditunda,
    menunggu: [...(s.context.menunggu as string[])].sort(),
    dijawab: (s.context.tanggapanPutaranIni as number) > 0,
  });

describe.each(SHIPPED_WORKFLOWS.map((d) => [`${d.id} v${d.version}`, d] as const))(
  '%s',
  (_name, definition) => {
    const events = samplesOf(definition);
    const reachable = getShortestPaths(definition.machine, {
      events: events as never,
      serializeState: serialize as never,
    }).map((p) => p.state);
    const paths = new Set(reachable.map((s) => statePath(s.value)));

    it('has samples, a payload schema and effects the service handles for every event type', () => {
      for (const type of definition.eventTypes) {
        expect({ type, samples: (SAMPLES[type] ?? []).length > 0 }).toEqual({ type, samples: true });
        expect({ type, schema: type in definition.payloads }).toEqual({ type, schema: true });
        expect({ type, form: (definition.forms[type]?.label ?? '') !== '' }).toEqual({ type, form: true });
        // A form's choices are the version's (its PILIHAN checks), no more and no fewer.
        for (const check of definition.checks[type] ?? [])
          if (check.kind === 'PILIHAN') {
            const field = definition.forms[type].fields.find((f) => f.name === check.field);
            expect((field?.options ?? []).map(([value]) => value).sort()).toEqual([...check.values].sort());
          }
        // Every field of a form is a field of the payload, and every required payload field has one.
        for (const field of definition.forms[type]?.fields ?? [])
          expect({
            type,
            field: field.name,
            known: ['pengingatTerbuka', ...payloadFields(definition, type)].includes(field.name),
          }).toEqual({
            type,
            field: field.name,
            known: true,
          });
        for (const effect of definition.effects[type] ?? [])
          expect(Object.keys(HANDLED_EFFECTS)).toContain(effect);
      }
      for (const { type, ...payload } of events)
        expect(() => validateInto(definition.payloads[type], payload)).not.toThrow();
      // Effects and checks name only events of the version.
      for (const type of [...Object.keys(definition.effects), ...Object.keys(definition.checks)])
        expect(definition.eventTypes).toContain(type);
    });

    it('gives every reachable state its meta, its projections and roles for every allowed event', () => {
      expect(reachable.length).toBeGreaterThan(10);
      for (const snapshot of reachable) {
        const path = statePath(snapshot.value);
        const meta = stepMeta(snapshot);
        expect({ path, named: meta.nama !== '' }).toEqual({ path, named: true });
        expect(KATEGORI).toContain((snapshot.context as { jalur: string | null }).jalur ?? 'PROSES');
        const stage = definition.publicStages.current(path, null);
        if (stage !== null) expect(PUBLIC_STAGES).toContain(stage);
        for (const type of allowedEvents(definition, snapshot))
          expect({ path, type, roles: (meta.peran[type] ?? []).length > 0 }).toEqual({
            path,
            type,
            roles: true,
          });
      }
      for (const closed of definition.closedStates) expect(paths).toContain(closed);
    });

    it('keeps its invariants over random event sequences by random roles', () => {
      const actors = [...ROLES, SISTEM];
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.integer({ min: 0, max: events.length - 1 }), fc.constantFrom(...actors)), {
            maxLength: 60,
          }),
          (steps) => {
            let stored: StoredState = initialState(definition);
            let version = 1;
            const history = ['REGISTRASI'];
            for (const [index, role] of steps) {
              const event = events[index];
              const before = restore(definition, stored);
              const closedBefore = isClosed(definition, before);
              // allowedEvents asks XState only about the types a transition names: never a
              // different answer from asking it about every type.
              expect(allowedEvents(definition, before)).toEqual(
                before.status === 'active'
                  ? definition.eventTypes.filter((type) => before.can({ type }))
                  : [],
              );
              const decision = decide(definition, stored, event, [role]);
              if (decision.kind !== 'ok') continue;
              // The remembered transitions (engine.ts) answer what XState answers afresh, from a
              // state resolved anew: the same state and context, whichever case took it first.
              const [fresh] = transition(
                definition.machine,
                definition.machine.resolveState({ value: stored.value, context: stored.context }),
                event as never,
              );
              expect(decision.stored).toEqual({ value: fresh.value, context: fresh.context });
              version += 1;
              history.push(event.type);
              // A closed case takes no work: whatever it still records, it stays where it is.
              if (closedBefore) expect(decision.toState).toBe(statePath(before.value));
              if (decision.closes || isClosed(definition, decision.after))
                expect(decision.category === 'PROSES' && decision.toState !== 'selesai').toBe(false);
              if (definition.publicStages.current(decision.toState, event.type) !== null)
                expect(PUBLIC_STAGES).toContain(
                  definition.publicStages.current(decision.toState, event.type),
                );
              stored = decision.stored;
            }
            expect(history).toHaveLength(version);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('replays every kind of legacy row through the machine to its declared outcome', () => {
      const day = (d: number) => new Date(Date.UTC(2023, 2, d, 2));
      for (const outcome of definition.legacy.outcomes) {
        const letters = definition.legacy.letterOutcomes.includes(outcome)
          ? [null, [day(20), day(25)], [day(20), null]]
          : [null];
        for (const responses of letters) {
          const row = {
            outcome,
            receivedAt: day(1),
            outcomeAt: outcome === 'PROSES' ? null : day(10),
            letter: responses && { number: 'S-1', at: day(15), institutions: [A, B], responses },
          };
          let stored: StoredState = initialState(definition);
          for (const event of definition.legacy.events(row)) {
            const decision = decide(definition, stored, { type: event.type, ...event.payload }, [event.role]);
            expect({ outcome, event: event.type, kind: decision.kind }).toEqual({
              outcome,
              event: event.type,
              kind: 'ok',
            });
            if (decision.kind === 'ok') stored = decision.stored;
          }
          expect((stored.context as { jalur: string | null }).jalur ?? 'PROSES').toBe(outcome);
          const state = statePath(restore(definition, stored).value);
          if (responses?.every(Boolean)) expect(state).toBe('selesai');
          else if (responses) expect(state).toBe('menunggu_tanggapan');
        }
      }
    });

    it('counts random cases by category to their number, as the recap adds its columns to JUMLAH', () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: 40 }), {
            minLength: 1,
            maxLength: 20,
          }),
          (cases) => {
            const counts = new Map<string, number>();
            for (const picks of cases) {
              let stored: StoredState = initialState(definition);
              for (const index of picks) {
                const event = events[index];
                const decision = decide(definition, stored, event, [...ROLES, SISTEM]);
                if (decision.kind === 'ok') stored = decision.stored;
              }
              const category = (stored.context as { jalur: string | null }).jalur ?? 'PROSES';
              counts.set(category, (counts.get(category) ?? 0) + 1);
            }
            expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(cases.length);
            for (const category of counts.keys()) expect(KATEGORI).toContain(category);
          },
        ),
        { numRuns: 100 },
      );
    });
  },
);

it('ships version 2 with mediation and its category, and reaches every mediation state', () => {
  const v2 = SHIPPED_WORKFLOWS.find((d) => d.version === 2)!;
  const reached = new Set(
    getShortestPaths(v2.machine, { events: samplesOf(v2) as never, serializeState: serialize as never }).map(
      (p) => statePath(p.state.value),
    ),
  );
  for (const state of ['mediasi.persiapan', 'mediasi.pelaksanaan', 'mediasi.pemantauan'])
    expect(reached).toContain(state);
  expect(v2.publicStages.current('mediasi.pelaksanaan', 'MEDIASI_DISETUJUI')).toBe('MEDIASI');
});

it("names the holders of version 1's steps as the SOP does, and version 2's mediation for the Kabid", () => {
  const holders = (version: number) =>
    Object.fromEntries(
      stepHolders(SHIPPED_WORKFLOWS.find((d) => d.version === version)!).map((h) => [
        h.step,
        h.byAssignee ? 'assignee' : [...h.roles].sort().join(','),
      ]),
    );
  expect(holders(1)).toEqual({
    'terima.pemeriksaan': 'assignee',
    'disposisi.kakanwil': 'KAKANWIL',
    'disposisi.kadiv': 'KADIV',
    'disposisi.kabid': 'KABID',
    'telaah.penyusunan': 'assignee',
    'telaah.persetujuan': 'KABID',
    'telaah.audiensi': 'assignee',
    'rekomendasi.penyusunan': 'assignee',
    'rekomendasi.persetujuan': 'KADIV,KAKANWIL',
    'rekomendasi.pengiriman': 'assignee',
    tanggapan: 'KABID',
  });
  expect(holders(2)).toMatchObject({
    'mediasi.persiapan': 'KABID',
    'mediasi.pelaksanaan': 'KABID',
    'mediasi.pemantauan': 'KABID',
  });
});
