/**
 * Pure functions that run a workflow definition one event at a time, with XState's
 * transition functions and no live actor, so a case can be stored between events.
 */
import {
  initialTransition,
  transition,
  type AnyMachineSnapshot,
  type AnyStateNode,
  type StateValue,
} from 'xstate';
import type { Actor, EffectKind, Kategori, StepMeta, WorkflowDefinition } from './types';

export interface StoredState {
  value: StateValue;
  context: object;
}

/** Each version's initial state, computed once: a version's machine has no input, so it is always the same. */
const initialStates = new WeakMap<WorkflowDefinition, StoredState>();

/** The state a new case of the version starts in. A value shared by every caller: never changed. */
export function initialState(definition: WorkflowDefinition): StoredState {
  let initial = initialStates.get(definition);
  if (!initial) {
    const [snapshot] = initialTransition(definition.machine);
    initial = Object.freeze({ value: snapshot.value as StateValue, context: snapshot.context as object });
    initialStates.set(definition, initial);
  }
  return initial;
}

/**
 * Snapshots restored lately, by version and stored state. A snapshot is a value (XState's
 * transitions return new ones and never change their input, and nothing here changes a stored
 * context), and most events meet a state and context that other cases of the version were in a
 * moment ago. Returning the same snapshot lets allowedEvents answer from its memo instead of
 * putting every type the state names to XState again.
 */
const restoredStates = new WeakMap<WorkflowDefinition, Map<string, AnyMachineSnapshot>>();
const MOST_RESTORED = 5_000;

export function restore(definition: WorkflowDefinition, stored: StoredState): AnyMachineSnapshot {
  let byState = restoredStates.get(definition);
  if (!byState) {
    byState = new Map();
    restoredStates.set(definition, byState);
  }
  const key = JSON.stringify([stored.value, stored.context]);
  let snapshot = byState.get(key);
  if (!snapshot) {
    snapshot = definition.machine.resolveState({ value: stored.value, context: stored.context });
    if (byState.size >= MOST_RESTORED) byState.clear();
    byState.set(key, snapshot);
  }
  return snapshot;
}

/** A state value as users name it: `telaah.persetujuan`. */
export function statePath(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value)[0];
  return child && (typeof child === 'string' || Object.keys(child).length > 0)
    ? `${key}.${statePath(child)}`
    : key;
}

/** What a state without meta of its own inherits at the root. */
const ROOT_META: StepMeta = { langkah: null, nama: '', batas: null, jam: 'KASUS', peran: {} };

/** Snapshots do not change: the roles and the limit of each are merged once (see stepMeta). */
const metaOf = new WeakMap<AnyMachineSnapshot, StepMeta>();

/** The meta of the innermost active state, merged over its parents'. */
export function stepMeta(snapshot: AnyMachineSnapshot): StepMeta {
  let meta = metaOf.get(snapshot);
  if (!meta) {
    meta = mergedMeta(snapshot);
    metaOf.set(snapshot, meta);
  }
  return meta;
}

function mergedMeta(snapshot: AnyMachineSnapshot): StepMeta {
  const entries = Object.entries(snapshot.getMeta() as Record<string, StepMeta | undefined>)
    .filter((e): e is [string, StepMeta] => !!e[1])
    .sort(([a], [b]) => a.split('.').length - b.split('.').length);
  const merged = entries.reduce<StepMeta>(
    (acc, [, meta]) => ({ ...acc, ...meta, peran: { ...acc.peran, ...meta.peran } }),
    ROOT_META,
  );
  return merged;
}

/** A closed case: in one of its version's closed states (finished or filed). */
export function isClosed(definition: WorkflowDefinition, snapshot: AnyMachineSnapshot): boolean {
  return definition.closedStates.includes(statePath(snapshot.value as StateValue));
}

/** A snapshot's allowed events, judged once per snapshot (see restore). */
const allowedOf = new WeakMap<AnyMachineSnapshot, readonly string[]>();

/**
 * Every event the state allows now, whoever may send it, in the order of the version's event
 * types. XState judges each (guards included); only the types that a transition of an active
 * state node names are put to it, since no other can be taken.
 */
export function allowedEvents(definition: WorkflowDefinition, snapshot: AnyMachineSnapshot): string[] {
  let allowed = allowedOf.get(snapshot);
  if (!allowed) {
    allowed = judgeAllowed(definition, snapshot);
    allowedOf.set(snapshot, allowed);
  }
  return [...allowed];
}

function judgeAllowed(definition: WorkflowDefinition, snapshot: AnyMachineSnapshot): string[] {
  if (snapshot.status !== 'active') return [];
  const named = new Set<string>();
  for (const node of snapshot._nodes as readonly { ownEvents: readonly string[] }[])
    for (const type of node.ownEvents) named.add(type);
  // A wildcard transition may take any event: then every type is put to XState.
  const wildcard = [...named].some((type) => type.includes('*'));
  return definition.eventTypes.filter((type) => (wildcard || named.has(type)) && snapshot.can({ type }));
}

/** The event the system itself sends when the step's time runs out (its roles are SISTEM's), if any. */
export function timeoutEvent(definition: WorkflowDefinition, snapshot: AnyMachineSnapshot): string | null {
  return (
    allowedEvents(definition, snapshot).find((type) => rolesFor(snapshot, type).includes('SISTEM')) ?? null
  );
}

/** The events allowed now that have `effect`, each with the roles that may send it. */
export function eventsWithEffect(
  definition: WorkflowDefinition,
  snapshot: AnyMachineSnapshot,
  effect: EffectKind,
): { type: string; roles: readonly Actor[] }[] {
  return allowedEvents(definition, snapshot)
    .filter((type) => (definition.effects[type] ?? []).includes(effect))
    .map((type) => ({ type, roles: rolesFor(snapshot, type) }));
}

export function rolesFor(snapshot: AnyMachineSnapshot, eventType: string): readonly Actor[] {
  return stepMeta(snapshot).peran[eventType] ?? [];
}

export function kategoriOf(context: object): Kategori {
  return (context as { jalur?: Kategori | null }).jalur ?? 'PROSES';
}

export type EventCheck =
  | { kind: 'not-allowed'; allowed: string[] }
  | { kind: 'forbidden'; roles: readonly Actor[] }
  | { kind: 'ok'; allowed: string[] };

/**
 * The order of refusals: a type the state does not allow is refused before any role is looked
 * at (409 whoever sends it); an allowed type from the wrong role is forbidden (403).
 */
export function checkEvent(
  definition: WorkflowDefinition,
  snapshot: AnyMachineSnapshot,
  type: string,
  actorRoles: readonly Actor[],
): EventCheck {
  const allowed = allowedEvents(definition, snapshot);
  if (!allowed.includes(type)) return { kind: 'not-allowed', allowed };
  const roles = rolesFor(snapshot, type);
  if (!actorRoles.some((r) => roles.includes(r))) return { kind: 'forbidden', roles };
  return { kind: 'ok', allowed };
}

export type Decision =
  | { kind: 'not-allowed'; allowed: string[] }
  | { kind: 'forbidden'; roles: readonly Actor[] }
  | {
      kind: 'ok';
      allowed: string[];
      before: AnyMachineSnapshot;
      after: AnyMachineSnapshot;
      stored: StoredState;
      /** The state path after the event, its recap category, and whether it closed the case. */
      toState: string;
      category: Kategori;
      closes: boolean;
      /** What the event does besides the transition, from the version's pack. */
      effects: readonly EffectKind[];
    };

/**
 * Transitions taken lately, by the snapshot before and the event. XState's transition is a pure
 * function of the two: the packs' guards and assignments read only the context and the event,
 * and the actions it returns are not run here. The snapshot before is the one restore() keeps for
 * its state, and many cases take the same event from the same state (every approval, every
 * disposition, each row of a legacy import with the same outcome): they share the snapshot after,
 * and with it its memos of the allowed events and the step's meta. XState's transition builds an
 * actor (and the machine's initial state) for every call, most of an event's time in XState.
 */
let transitions = new WeakMap<AnyMachineSnapshot, Map<string, AnyMachineSnapshot>>();
/**
 * How many transitions are kept at most, all states together: events with their own text (a
 * reason, a summary) each leave a transition that no other case takes, so the memo starts afresh
 * when it holds this many (as restore()'s does).
 */
const MOST_TRANSITIONS = 5_000;
let remembered = 0;

/**
 * The event without its fields left undefined: the payload classes' instances have every field
 * they declare, given or not (ES2022 class fields), and a field not given is no part of the event.
 * XState is given this event, and it is the one that is keyed: what a guard sees is what the key says.
 */
function givenFields<E extends { type: string; [key: string]: unknown }>(event: E): E {
  if (!Object.values(event).includes(undefined)) return event;
  return Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)) as E;
}

/**
 * The event as a key when it is plain data: each value a string, a finite number, a boolean, null
 * or a list of those. Anything else (a date, a nested object) is not keyed, so two events that a
 * guard could tell apart never share a key.
 */
function eventKey(event: Record<string, unknown>): string | null {
  for (const value of Object.values(event)) {
    if (Array.isArray(value) ? !value.every(isPlainScalar) : !isPlainScalar(value)) return null;
  }
  return JSON.stringify(event);
}

function isPlainScalar(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function transitionOf(
  definition: WorkflowDefinition,
  before: AnyMachineSnapshot,
  sent: { type: string; [key: string]: unknown },
): AnyMachineSnapshot {
  const event = givenFields(sent);
  const key = eventKey(event);
  let taken = key === null ? undefined : transitions.get(before);
  const known = key === null ? undefined : taken?.get(key);
  if (known) return known;
  const [after] = transition(definition.machine, before, event as never);
  if (key !== null) {
    if (remembered >= MOST_TRANSITIONS) {
      transitions = new WeakMap();
      remembered = 0;
      taken = undefined;
    }
    if (!taken) transitions.set(before, (taken = new Map<string, AnyMachineSnapshot>()));
    taken.set(key, after);
    remembered += 1;
  }
  return after;
}

/**
 * The one decision of an event, pure: whether the state allows it and the actor may send it,
 * the state it leads to, and its effects as data. The API, the sweeps and the tests all decide
 * through it; the service only turns the decision into rows.
 */
export function decide(
  definition: WorkflowDefinition,
  stored: StoredState,
  event: { type: string; [key: string]: unknown },
  actorRoles: readonly Actor[],
  /** `stored` already restored, when the caller has it. */
  restored?: AnyMachineSnapshot,
  /** checkEvent's answer for `restored`, this type and these roles, when the caller asked it first. */
  checked?: EventCheck,
): Decision {
  const before = restored ?? restore(definition, stored);
  const check = restored && checked ? checked : checkEvent(definition, before, event.type, actorRoles);
  if (check.kind !== 'ok') return check;
  const after = transitionOf(definition, before, event);
  if (after === before) return { kind: 'not-allowed', allowed: check.allowed };
  const value = after.value as StateValue;
  return {
    kind: 'ok',
    allowed: check.allowed,
    before,
    after,
    stored: { value, context: after.context as object },
    toState: statePath(value),
    category: kategoriOf(after.context as object),
    closes: isClosed(definition, after) && !isClosed(definition, before),
    effects: definition.effects[event.type] ?? [],
  };
}

/** Events that do not move the work forward do not make a role the step's holder. */
export const NOT_HOLDING_EVENTS: ReadonlySet<string> = new Set(['TUNDA', 'LANJUTKAN', 'LIMPAHKAN']);

/**
 * The one rule of who holds a step: the roles that may send an event that moves its work forward
 * (the system aside). The queue, the escalations and the per-person figures all read it.
 */
export function holdingRoles(meta: StepMeta): Actor[] {
  const roles = new Set<Actor>();
  for (const [event, allowed] of Object.entries(meta.peran))
    if (!NOT_HOLDING_EVENTS.has(event)) for (const role of allowed) if (role !== 'SISTEM') roles.add(role);
  return [...roles];
}

/**
 * The open steps (states with a time limit) in which one of `roles` holds the work: what a user's
 * work queue holds.
 */
export function statesActedBy(definition: WorkflowDefinition, roles: readonly string[]): string[] {
  return leafSteps(definition)
    .filter(({ meta }) => meta.batas && holdingRoles(meta).some((role) => roles.includes(role)))
    .map(({ path }) => path);
}

/**
 * The open steps that are an officer's work (PETUGAS holds them): a case in one of them belongs to
 * its assignee, or, unassigned, to the unit's shared queue.
 */
export function officerSteps(definition: WorkflowDefinition): string[] {
  return leafSteps(definition)
    .filter(({ meta }) => meta.batas && holdingRoles(meta).includes('PETUGAS'))
    .map(({ path }) => path);
}

/**
 * Who holds each open step on the case's own clock, and whether it is an officer's step (then the
 * case's assignee holds it, not every officer): what the SLA summary's "per person" figures count.
 */
export function stepHolders(
  definition: WorkflowDefinition,
): { step: string; roles: string[]; byAssignee: boolean }[] {
  return leafSteps(definition)
    .filter(({ meta }) => meta.batas && meta.jam === 'KASUS')
    .map(({ path, meta }) => {
      const roles = holdingRoles(meta);
      return { step: path, roles, byAssignee: roles.includes('PETUGAS') };
    })
    .filter((h) => h.roles.length > 0);
}

export interface StepDescription {
  path: string;
  name: string;
  step: number | null;
  limit: StepMeta['batas'];
  clock: StepMeta['jam'];
}

/** Every leaf state of a definition with its SOP step, name and limit, in the order of the machine. */
export function describeSteps(definition: WorkflowDefinition): StepDescription[] {
  return leafSteps(definition).map(({ path, meta }) => ({
    path,
    name: meta.nama,
    step: meta.langkah,
    limit: meta.batas,
    clock: meta.jam,
  }));
}

/** Every leaf state with its meta merged from the root down, as `stepMeta` merges a snapshot's. */
function leafSteps(definition: WorkflowDefinition): { path: string; meta: StepMeta }[] {
  const leaves: { path: string; meta: StepMeta }[] = [];
  const visit = (node: AnyStateNode, inherited: StepMeta) => {
    const own = node.meta as StepMeta | undefined;
    const meta: StepMeta = own
      ? { ...inherited, ...own, peran: { ...inherited.peran, ...own.peran } }
      : inherited;
    const children = Object.values(node.states);
    if (children.length > 0) return children.forEach((child) => visit(child, meta));
    leaves.push({ path: node.path.join('.'), meta });
  };
  visit(definition.machine.root, ROOT_META);
  return leaves;
}
