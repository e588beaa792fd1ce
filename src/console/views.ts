import { Eta } from 'eta';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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

const versions = new Map<string, string>();

/**
 * An asset's address with its content's hash: the browser may keep it for a year (the assets are
 * served immutable), and a new release's file has a new address.
 */
export function assetUrl(name: string): string {
  let version = versions.get(name);
  if (!version) {
    const file =
      name === 'htmx.min.js'
        ? require.resolve('htmx.org/dist/htmx.min.js')
        : join(consoleDir('assets'), name);
    version = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
    versions.set(name, version);
  }
  return `${name === 'htmx.min.js' ? '/assets-vendor' : '/assets'}/${name}?v=${version}`;
}

export function renderView(template: string, data: Record<string, unknown>): string {
  return eta.render(template, { h, asset: assetUrl, ...data });
}
