import { plainToInstance } from 'class-transformer';
import { EventBase } from '../src/cases/case-event.dtos';
import { decide, initialState, restore, ROLES, SHIPPED_WORKFLOWS, SISTEM, type StoredState } from '.';

const v1 = SHIPPED_WORKFLOWS.find((d) => d.id === 'pengaduan' && d.version === 1)!;
const everyone = [...ROLES, SISTEM];

/** The state after `types`, each decided by whoever may send it. */
function after(types: string[]): StoredState {
  let stored = initialState(v1);
  for (const type of types) {
    const decision = decide(v1, stored, { type }, everyone);
    if (decision.kind !== 'ok') throw new Error(`${type}: ${decision.kind}`);
    stored = decision.stored;
  }
  return stored;
}

describe('the engine remembers transitions', () => {
  const atApproval = after(['DISPOSISI', 'DISPOSISI', 'DISPOSISI', 'TELAAH', 'AJUKAN_TELAAH']);

  it('lets cases that take the same event from the same state share the snapshot after', () => {
    const first = decide(
      v1,
      atApproval,
      { type: 'SETUJUI_TELAAH', kesimpulan: 'REKOMENDASI', audiensi: false },
      everyone,
    );
    const second = decide(
      v1,
      { value: atApproval.value, context: { ...atApproval.context } },
      { type: 'SETUJUI_TELAAH', kesimpulan: 'REKOMENDASI', audiensi: false },
      everyone,
    );
    expect(first.kind === 'ok' && second.kind === 'ok' && first.after === second.after).toBe(true);
  });

  it('remembers an event as the API sends it: DTO instances, their fields not given left undefined', () => {
    // What CaseEventsService passes: EventBase's and the payload class's instances spread together.
    const asSent = () => ({
      ...plainToInstance(EventBase, {}),
      ...plainToInstance(v1.payloads.SETUJUI_TELAAH, { kesimpulan: 'REKOMENDASI', audiensi: false }),
      type: 'SETUJUI_TELAAH',
    });
    expect(Object.values(asSent())).toContain(undefined);
    const first = decide(v1, atApproval, asSent(), everyone);
    const second = decide(
      v1,
      { value: atApproval.value, context: { ...atApproval.context } },
      asSent(),
      everyone,
    );
    const plain = decide(
      v1,
      atApproval,
      { type: 'SETUJUI_TELAAH', kesimpulan: 'REKOMENDASI', audiensi: false },
      everyone,
    );
    expect(first.kind === 'ok' && second.kind === 'ok' && first.after === second.after).toBe(true);
    expect(first.kind === 'ok' && plain.kind === 'ok' && plain.after === first.after).toBe(true);
  });

  it('never answers one payload with the state another payload led to', () => {
    const outcomes = ['REKOMENDASI', 'FILE', 'REKOMENDASI', 'FILE'].map((kesimpulan) => {
      const decision = decide(
        v1,
        atApproval,
        { type: 'SETUJUI_TELAAH', kesimpulan, audiensi: false },
        everyone,
      );
      return decision.kind === 'ok' ? [decision.toState, decision.category] : decision.kind;
    });
    expect(outcomes[0]).not.toEqual(outcomes[1]);
    expect(outcomes[2]).toEqual(outcomes[0]);
    expect(outcomes[3]).toEqual(outcomes[1]);
  });

  it('does not remember an event that carries more than plain values', () => {
    const event = () => ({
      type: 'SETUJUI_TELAAH',
      kesimpulan: 'REKOMENDASI',
      audiensi: false,
      at: new Date(0),
    });
    const first = decide(v1, atApproval, event(), everyone);
    const second = decide(v1, atApproval, event(), everyone);
    expect(first.kind === 'ok' && second.kind === 'ok').toBe(true);
    if (first.kind === 'ok' && second.kind === 'ok') {
      expect(first.after).not.toBe(second.after);
      expect(second.stored).toEqual(first.stored);
    }
  });

  it('keeps a bounded number of transitions: events with their own text do not pile up', () => {
    const start = initialState(v1);
    const incomplete = (kekurangan: string) =>
      decide(v1, start, { type: 'BERKAS_TIDAK_LENGKAP', kekurangan }, everyone);
    const first = incomplete('KTP 0');
    expect(incomplete('KTP 0')).toEqual(first);
    expect(first.kind === 'ok' && (incomplete('KTP 0') as typeof first).after === first.after).toBe(true);
    // As many different texts as the memo holds: the first one's transition is then forgotten.
    for (let i = 1; i <= 5_000; i += 1) incomplete(`KTP ${i}`);
    const again = incomplete('KTP 0');
    expect(again.kind === 'ok' && first.kind === 'ok' && again.after !== first.after).toBe(true);
    expect(again.kind === 'ok' && again.stored).toEqual(first.kind === 'ok' && first.stored);
  });

  it('starts every new case from one shared, unchangeable initial state', () => {
    expect(initialState(v1)).toBe(initialState(v1));
    expect(Object.isFrozen(initialState(v1))).toBe(true);
    expect(restore(v1, initialState(v1)).value).toEqual(initialState(v1).value);
  });
});
