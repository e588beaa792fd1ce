/**
 * Charts drawn on the server as SVG: no canvas, no script, crisp when printed. Each carries a
 * title and a description for screen readers, and the page shows the same figures as a table.
 */

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (value: number) => value.toLocaleString('id-ID', { maximumFractionDigits: 2 });

export interface Bar {
  label: string;
  /** 0 to 100 */
  percent: number;
  note?: string;
}

/** Horizontal bars on a 0-100% axis, with a reference line (e.g. the compliance target). */
export function percentBars(
  title: string,
  bars: Bar[],
  reference?: { percent: number; label: string },
): string {
  const labelWidth = 330;
  const plotWidth = 380;
  const rowHeight = 28;
  const top = 28;
  const height = top + bars.length * rowHeight + 28;
  const x = (p: number) => labelWidth + (Math.max(0, Math.min(100, p)) / 100) * plotWidth;
  const rows = bars.map((bar, i) => {
    const y = top + i * rowHeight;
    const colour =
      bar.percent >= (reference?.percent ?? 80) ? '#1b6e3a' : bar.percent >= 50 ? '#8a5a00' : '#a1221b';
    const label = bar.label.length > 52 ? `${bar.label.slice(0, 51)}…` : bar.label;
    return `<g><text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${escapeXml(label)}</text>
<rect x="${labelWidth}" y="${y + 5}" width="${(x(bar.percent) - labelWidth).toFixed(1)}" height="${rowHeight - 10}" fill="${colour}"/>
<text x="${(x(bar.percent) + 6).toFixed(1)}" y="${y + 18}">${num(bar.percent)}%${bar.note ? ` (${escapeXml(bar.note)})` : ''}</text></g>`;
  });
  const ticks = [0, 25, 50, 75, 100].map(
    (p) =>
      `<line x1="${x(p)}" y1="${top}" x2="${x(p)}" y2="${height - 24}" stroke="#ccc"/><text x="${x(p)}" y="${height - 8}" text-anchor="middle">${p}%</text>`,
  );
  const ref = reference
    ? `<line x1="${x(reference.percent)}" y1="${top - 6}" x2="${x(reference.percent)}" y2="${height - 24}" stroke="#003b73" stroke-dasharray="4 3" stroke-width="2"/>
<text x="${x(reference.percent)}" y="${top - 10}" text-anchor="middle" fill="#003b73">${escapeXml(reference.label)}</text>`
    : '';
  const desc = bars.map((b) => `${b.label}: ${num(b.percent)}%`).join('; ');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${labelWidth + plotWidth + 110} ${height}" class="chart" font-family="sans-serif" font-size="12" fill="#1a1a1a">
<title>${escapeXml(title)}</title><desc>${escapeXml(desc || 'Belum ada data')}</desc>
${ticks.join('\n')}
${rows.join('\n')}
${ref}
${bars.length === 0 ? `<text x="${labelWidth}" y="${top + 16}">Belum ada langkah yang selesai dalam periode ini</text>` : ''}
</svg>`;
}

export interface SeriesPoint {
  label: string;
  value: number | null;
}

/** A line over periods (months), with an optional flat target line; gaps where a value is N/A. */
export function lineChart(
  title: string,
  points: SeriesPoint[],
  unit: string,
  target?: number | null,
): string {
  const left = 52;
  const width = 640;
  const top = 20;
  const plotHeight = 200;
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  // Percentages keep their natural 0-100 scale unless a value goes beyond it (nothing is capped).
  const highest = Math.max(...values, target ?? 0);
  const max = unit === '%' ? Math.max(100, highest * 1.1) : Math.max(10, highest * 1.1);
  const step = points.length > 1 ? (width - left - 20) / (points.length - 1) : 0;
  const x = (i: number) => left + i * step;
  const y = (v: number) => top + plotHeight - (v / max) * plotHeight;
  const segments: string[] = [];
  let current: string[] = [];
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else current.push(`${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
  });
  if (current.length) segments.push(current.join(' '));
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = max * f;
    return `<line x1="${left}" y1="${y(v).toFixed(1)}" x2="${width - 10}" y2="${y(v).toFixed(1)}" stroke="#ddd"/><text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${num(Math.round(v))}</text>`;
  });
  const labels = points.map(
    (p, i) =>
      `<text x="${x(i).toFixed(1)}" y="${top + plotHeight + 18}" text-anchor="middle">${escapeXml(p.label)}</text>`,
  );
  const dots = points
    .map((p, i) =>
      p.value === null
        ? ''
        : `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3.5" fill="#003b73"><title>${escapeXml(`${p.label}: ${num(p.value)}${unit}`)}</title></circle>`,
    )
    .join('');
  const targetLine =
    target != null
      ? `<line x1="${left}" y1="${y(target).toFixed(1)}" x2="${width - 10}" y2="${y(target).toFixed(1)}" stroke="#a1221b" stroke-dasharray="6 4" stroke-width="2"/><text x="${width - 12}" y="${(y(target) - 6).toFixed(1)}" text-anchor="end" fill="#a1221b">Target ${num(target)}${unit}</text>`
      : '';
  const desc = points.map((p) => `${p.label}: ${p.value === null ? 'N/A' : num(p.value) + unit}`).join('; ');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${top + plotHeight + 30}" class="chart" font-family="sans-serif" font-size="12" fill="#1a1a1a">
<title>${escapeXml(title)}</title><desc>${escapeXml(desc)}</desc>
${grid.join('\n')}
${targetLine}
${segments.map((s) => `<polyline points="${s}" fill="none" stroke="#003b73" stroke-width="2.5"/>`).join('\n')}
${dots}
${labels.join('\n')}
</svg>`;
}
