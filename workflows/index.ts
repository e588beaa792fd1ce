/**
 * The registry of workflow definitions. Each version is an immutable file; new cases take the
 * current (highest) version of their workflow, running cases keep the one they started on.
 */
import { pengaduanV1 } from './pengaduan/v1';
import { pengaduanV2 } from './pengaduan/v2';
import type { EffectKind, WorkflowDefinition } from './types';

export * from './types';
export * from './engine';

/**
 * A case (or a unit's setting) on a version this release does not know, as during a rolling
 * upgrade when a newer instance started it: refused, never guessed (the API answers 409).
 */
export class UnknownWorkflowError extends Error {
  constructor(
    readonly workflowId: string,
    readonly workflowVersion: number,
  ) {
    super(`unknown workflow ${workflowId} v${workflowVersion}`);
  }
}

export class WorkflowRegistry {
  private readonly byId = new Map<string, Map<number, WorkflowDefinition>>();

  constructor(definitions: WorkflowDefinition[] = []) {
    definitions.forEach((d) => this.register(d));
  }

  register(definition: WorkflowDefinition): void {
    const versions = this.byId.get(definition.id) ?? new Map<number, WorkflowDefinition>();
    if (versions.has(definition.version)) {
      throw new Error(`workflow ${definition.id} v${definition.version} is already registered`);
    }
    versions.set(definition.version, definition);
    this.byId.set(definition.id, versions);
  }

  current(id: string): WorkflowDefinition {
    const versions = this.byId.get(id);
    if (!versions || versions.size === 0) throw new Error(`unknown workflow ${id}`);
    return versions.get(Math.max(...versions.keys()))!;
  }

  get(id: string, version: number): WorkflowDefinition {
    const definition = this.byId.get(id)?.get(version);
    if (!definition) throw new UnknownWorkflowError(id, version);
    return definition;
  }

  /** The versions of a workflow, oldest first. */
  versionsOf(id: string): number[] {
    return [...(this.byId.get(id)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** Whether this release knows a version (a case of one it does not is refused, not guessed). */
  knows(id: string, version: number): boolean {
    return this.byId.get(id)?.has(version) ?? false;
  }

  /** The event types that have `effect` in any registered version. */
  eventTypesWith(effect: EffectKind): string[] {
    const types = this.list().flatMap((d) =>
      Object.entries(d.effects)
        .filter(([, effects]) => effects.includes(effect))
        .map(([type]) => type),
    );
    return [...new Set(types)].sort();
  }

  list(): WorkflowDefinition[] {
    return [...this.byId.values()].flatMap((versions) => [...versions.values()]);
  }
}

/** The definitions shipped with this release. */
export const SHIPPED_WORKFLOWS: WorkflowDefinition[] = [pengaduanV1, pengaduanV2];
