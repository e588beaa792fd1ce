/**
 * The registry of workflow definitions. Each version is an immutable file; new cases take the
 * current (highest) version of their workflow, running cases keep the one they started on.
 */
import { pengaduanV1 } from './pengaduan/v1';
import type { WorkflowDefinition } from './types';

export * from './types';
export * from './engine';

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
    if (!definition) throw new Error(`unknown workflow ${id} v${version}`);
    return definition;
  }

  list(): WorkflowDefinition[] {
    return [...this.byId.values()].flatMap((versions) => [...versions.values()]);
  }
}

/** The definitions shipped with this release. */
export const SHIPPED_WORKFLOWS: WorkflowDefinition[] = [pengaduanV1];
