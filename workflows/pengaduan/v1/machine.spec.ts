import { getAdjacencyMap, getShortestPaths, getSimplePaths } from 'xstate/graph';
import { transition } from 'xstate';
import {
  allowedEvents,
  decide,
  initialState,
  kategoriOf,
  restore,
  statePath,
  statesActedBy,
  stepMeta,
} from '../../engine';
import { EVENT_TYPES, machine, pengaduanV1 } from '.';

/** Payload variants, so that every guarded branch is reached by the path generators. */
const EVENTS = [
  { type: 'DISPOSISI' },
  { type: 'FILE', reason: 'tembusan' },
  { type: 'REKOMENDASI_SEGERA' },
  { type: 'TELAAH' },
  { type: 'AJUKAN_TELAAH' },
  { type: 'TOLAK_TELAAH' },
  { type: 'SETUJUI_TELAAH', kesimpulan: 'FILE', audiensi: false },
  { type: 'SETUJUI_TELAAH', kesimpulan: 'REKOMENDASI', audiensi: true },
  { type: 'SETUJUI_TELAAH', kesimpulan: 'REKOMENDASI', audiensi: false },
  { type: 'AUDIENSI_SELESAI' },
  { type: 'AJUKAN_SURAT' },
  { type: 'TOLAK_SURAT' },
  { type: 'SETUJUI_SURAT' },
  { type: 'KIRIM_SURAT', institutionIds: ['A', 'B'], letterNumber: 'S-1' },
  { type: 'TANGGAPAN', institutionId: 'A', summary: 'diterima' },
  { type: 'TANGGAPAN', institutionId: 'B', summary: 'diterima' },
  { type: 'SELESAI' },
  { type: 'TINDAK_LANJUT_ULANG' },
  { type: 'TUNDA', reason: 'menunggu dokumen' },
  { type: 'LANJUTKAN' },
  { type: 'LIMPAHKAN', unitCode: 'KANWIL-SS' },
  { type: 'BERKAS_TIDAK_LENGKAP', kekurangan: 'KTP' },
  { type: 'BERKAS_DILENGKAPI' },
  { type: 'TIDAK_BERWENANG', referral: 'Komnas HAM' },
  { type: 'DICABUT' },
] as const;

// The letter rounds count up forever; two snapshots that differ only there behave alike.
const serialize = (s: any) =>
  JSON.stringify({
    v: s.value,
    jalur: s.context.jalur,
    ditunda: s.context.ditunda,
    menunggu: [...s.context.menunggu].sort(),
    dijawab: s.context.tanggapanPutaranIni > 0,
  });

const pathOpts = { events: EVENTS as any, serializeState: serialize } as any;

describe('pengaduan v1 machine', () => {
  const shortest = getShortestPaths(machine, pathOpts);
  const reached = new Set(shortest.map((p) => statePath(p.state.value)));

  it('reaches every state of the SOP', () => {
    const expected = [
      'terima.pemeriksaan',
      'terima.menunggu_kelengkapan',
      'disposisi.kakanwil',
      'disposisi.kadiv',
      'disposisi.kabid',
      'telaah.penyusunan',
      'telaah.persetujuan',
      'telaah.audiensi',
      'rekomendasi.penyusunan',
      'rekomendasi.persetujuan',
      'rekomendasi.pengiriman',
      'menunggu_tanggapan',
      'tanggapan',
      'selesai',
      'file',
    ];
    expect([...reached].sort()).toEqual(expected.sort());
  });

  it('takes every event type somewhere, and nothing it does not know', () => {
    const adjacency = getAdjacencyMap(machine, pathOpts);
    const fired = new Set<string>();
    for (const node of Object.values(adjacency)) {
      for (const edge of Object.values<any>(node.transitions)) {
        if (node.state.can(edge.event)) fired.add(edge.event.type);
      }
    }
    expect([...fired].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('gives every reachable active state its SOP step and roles for each allowed event', () => {
    for (const path of shortest) {
      const snapshot = path.state;
      const meta = stepMeta(snapshot);
      expect(meta.nama).not.toBe('');
      for (const type of allowedEvents(pengaduanV1, snapshot)) {
        expect({ state: statePath(snapshot.value), type, roles: meta.peran[type] ?? [] }).toEqual(
          expect.objectContaining({ roles: expect.arrayContaining([expect.any(String)]) }),
        );
      }
    }
  });

  it('derives the recap category from the path taken, on every simple path to a closing state', () => {
    // Suspension and transfer loops multiply the simple paths without changing the outcome.
    const decisive = EVENTS.filter((e) => !['TUNDA', 'LANJUTKAN', 'LIMPAHKAN'].includes(e.type));
    const paths = getSimplePaths(machine, {
      ...pathOpts,
      events: decisive as any,
      toState: (s: any) => s.status === 'done' || statePath(s.value) === 'selesai',
    });
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      const types = path.steps.map((s) => s.event.type);
      const telaah = path.steps.find((s) => s.event.type === 'SETUJUI_TELAAH')?.event as any;
      const kategori = kategoriOf(path.state.context);
      if (types.includes('REKOMENDASI_SEGERA')) expect(kategori).toBe('REKOMENDASI');
      else if (telaah?.kesimpulan === 'FILE') expect(kategori).toBe('TELAAH_FILE');
      else if (telaah) expect(kategori).toBe('TELAAH_REKOMENDASI');
      else expect(kategori).toBe('FILE');
      // every path passes through PROSES before its decision
      expect(kategoriOf(path.steps[0].state.context)).toBe('PROSES');
    }
  });

  it('refuses, while suspended, everything but LANJUTKAN', () => {
    for (const path of shortest) {
      const snapshot = path.state;
      if (!snapshot.can({ type: 'TUNDA', reason: 'x' })) continue;
      const [suspended] = transition(machine, snapshot, { type: 'TUNDA', reason: 'x' });
      expect(allowedEvents(pengaduanV1, suspended)).toEqual(['LANJUTKAN']);
      const [resumed] = transition(machine, suspended, { type: 'LANJUTKAN' });
      expect(resumed.value).toEqual(snapshot.value);
      expect(allowedEvents(pengaduanV1, resumed)).toEqual(allowedEvents(pengaduanV1, snapshot));
    }
  });

  it('survives a store-and-restore between every step (no live actor needed)', () => {
    for (const path of shortest) {
      let stored = initialState(pengaduanV1);
      for (const s of path.steps) {
        const restored = restore(pengaduanV1, stored);
        const [next] = transition(machine, restored, s.event as never);
        stored = { value: next.value, context: next.context };
      }
      expect(stored.value).toEqual(path.state.value);
    }
  });

  it('restores a remembered state only for the same state and context', () => {
    const stored = { value: initialState(pengaduanV1).value, context: initialState(pengaduanV1).context };
    const first = restore(pengaduanV1, stored);
    // The same stored state, read again from another row: the remembered snapshot.
    expect(restore(pengaduanV1, JSON.parse(JSON.stringify(stored)))).toBe(first);
    // The same state path with another context (suspended, where receipt offers no LANJUTKAN):
    // its own snapshot, and its own allowed events.
    const suspended = restore(pengaduanV1, {
      value: stored.value,
      context: { ...stored.context, ditunda: true },
    });
    expect(suspended).not.toBe(first);
    expect(allowedEvents(pengaduanV1, suspended)).toEqual([]);
    expect(allowedEvents(pengaduanV1, first)).toEqual([
      'DISPOSISI',
      'LIMPAHKAN',
      'BERKAS_TIDAK_LENGKAP',
      'TIDAK_BERWENANG',
    ]);
    // What a caller does with the list it was given does not change the next caller's.
    allowedEvents(pengaduanV1, first).pop();
    expect(allowedEvents(pengaduanV1, first)).toHaveLength(4);
  });
});

describe('decide', () => {
  const start = initialState(pengaduanV1);

  it('answers not-allowed with the allowed list, whatever the role', () => {
    const outcome = decide(pengaduanV1, start, { type: 'SELESAI' }, ['KABID']);
    expect(outcome).toEqual({
      kind: 'not-allowed',
      allowed: ['DISPOSISI', 'LIMPAHKAN', 'BERKAS_TIDAK_LENGKAP', 'TIDAK_BERWENANG'],
    });
  });

  it('answers forbidden for an allowed event from the wrong role', () => {
    const outcome = decide(pengaduanV1, start, { type: 'DISPOSISI' }, ['PEMANTAU']);
    expect(outcome.kind).toBe('forbidden');
  });

  it('never lets a user send the system event DICABUT', () => {
    const waiting = decide(pengaduanV1, start, { type: 'BERKAS_TIDAK_LENGKAP', kekurangan: 'KTP' }, [
      'PETUGAS',
    ]);
    if (waiting.kind !== 'ok') throw new Error('expected ok');
    for (const role of ['ADMIN', 'PETUGAS', 'KASUBBID', 'KABID', 'KADIV', 'KAKANWIL', 'PEMANTAU'] as const) {
      expect(decide(pengaduanV1, waiting.stored, { type: 'DICABUT' }, [role]).kind).toBe('forbidden');
    }
    const withdrawn = decide(pengaduanV1, waiting.stored, { type: 'DICABUT' }, ['SISTEM']);
    expect(withdrawn.kind === 'ok' && statePath(withdrawn.stored.value)).toBe('file');
  });

  it('stays in menunggu_tanggapan until the last institution answers', () => {
    let s = start;
    const run = (event: any, role: any) => {
      const o = decide(pengaduanV1, s, event, [role]);
      if (o.kind !== 'ok') throw new Error(`${event.type}: ${o.kind}`);
      s = o.stored;
      return statePath(s.value);
    };
    run({ type: 'DISPOSISI' }, 'PETUGAS');
    run({ type: 'DISPOSISI' }, 'KAKANWIL');
    run({ type: 'DISPOSISI' }, 'KADIV');
    run({ type: 'REKOMENDASI_SEGERA' }, 'KABID');
    run({ type: 'AJUKAN_SURAT' }, 'PETUGAS');
    run({ type: 'SETUJUI_SURAT' }, 'KADIV');
    expect(run({ type: 'KIRIM_SURAT', institutionIds: ['A', 'B'], letterNumber: 'S-1' }, 'PETUGAS')).toBe(
      'menunggu_tanggapan',
    );
    expect(run({ type: 'TANGGAPAN', institutionId: 'A', summary: 'x' }, 'PETUGAS')).toBe(
      'menunggu_tanggapan',
    );
    expect(run({ type: 'TANGGAPAN', institutionId: 'B', summary: 'x' }, 'PETUGAS')).toBe('tanggapan');
    expect(kategoriOf(s.context)).toBe('REKOMENDASI');
  });
});

describe('statesActedBy (the work queue of a role)', () => {
  it('gives each role the open steps it acts in, and never a closed state', () => {
    expect(statesActedBy(pengaduanV1, ['KADIV']).sort()).toEqual([
      'disposisi.kadiv',
      'rekomendasi.persetujuan',
    ]);
    expect(statesActedBy(pengaduanV1, ['KABID']).sort()).toEqual(
      [
        'disposisi.kabid',
        'menunggu_tanggapan',
        'tanggapan',
        'telaah.persetujuan',
        'terima.pemeriksaan',
      ].sort(),
    );
    const petugas = statesActedBy(pengaduanV1, ['PETUGAS']);
    expect(petugas).toEqual(
      expect.arrayContaining([
        'terima.pemeriksaan',
        'terima.menunggu_kelengkapan',
        'telaah.penyusunan',
        'rekomendasi.pengiriman',
        'menunggu_tanggapan',
      ]),
    );
    expect(petugas).not.toContain('selesai');
    expect(petugas).not.toContain('telaah.persetujuan');
    expect(statesActedBy(pengaduanV1, ['PEMANTAU'])).toEqual([]);
  });
});
