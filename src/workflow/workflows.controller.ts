import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { describeSteps, WorkflowRegistry, type WorkflowDefinition } from '../../workflows';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly registry: WorkflowRegistry) {}

  /** Each workflow version's steps: state path, SOP step, name, limit and whose clock runs. */
  @Get()
  list() {
    return this.registry.list().map((definition) => ({
      id: definition.id,
      version: definition.version,
      title: definition.title,
      steps: describeSteps(definition),
      closedStates: definition.closedStates,
      /** The console's form of each event: its label and its payload's fields, in Bahasa Indonesia. */
      forms: definition.forms,
      /** The SOP's stages for the case lists' filter: a state path prefix and its name. */
      stages: definition.stages,
      /** The values a field may take in this version, by event type and field (its PILIHAN checks). */
      choices: choicesOf(definition),
    }));
  }
}

function choicesOf(definition: WorkflowDefinition): Record<string, Record<string, readonly string[]>> {
  const choices: Record<string, Record<string, readonly string[]>> = {};
  for (const [type, checks] of Object.entries(definition.checks))
    for (const check of checks)
      if (check.kind === 'PILIHAN') choices[type] = { ...choices[type], [check.field]: check.values };
  return choices;
}
