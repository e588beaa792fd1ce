import { Eta } from 'eta';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { h } from './format';

/** Templates and assets stay in `src/console` (the build compiles TypeScript only): found from either tree. */
export function consoleDir(name: 'views' | 'assets'): string {
  const candidates = [join(__dirname, name), join(__dirname, '..', '..', '..', 'src', 'console', name)];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`console ${name} not found in ${candidates.join(' or ')}`);
  return found;
}

// Escaping is on for `<%= %>`: every value from the API is text until a template says otherwise.
const eta = new Eta({ views: consoleDir('views'), cache: true, autoEscape: true, autoTrim: [false, 'nl'] });

export function renderView(template: string, data: Record<string, unknown>): string {
  return eta.render(template, { h, ...data });
}
