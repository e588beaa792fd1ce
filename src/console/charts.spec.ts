import { lineChart, percentBars } from './charts';

describe('server-side charts', () => {
  it('draws one bar per step, scaled to its percentage, with an accessible description', () => {
    const svg = percentBars('Kepatuhan', [
      { label: 'Pemeriksaan berkas', percent: 100 },
      { label: 'Telaah <draft>', percent: 50 },
    ]);
    expect(svg).toContain('<title>Kepatuhan</title>');
    expect(svg).toContain('<desc>Pemeriksaan berkas: 100%; Telaah &#60;draft&#62;: 50%</desc>');
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([380, 190]);
    expect(svg).not.toContain('<draft>');
  });

  it('leaves a gap where a month has no value and draws the target line', () => {
    const svg = lineChart(
      'Tren',
      [
        { label: 'Jan', value: 10 },
        { label: 'Feb', value: null },
        { label: 'Mar', value: 30 },
      ],
      '%',
      50,
    );
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('Target 50%');
    expect(svg).toContain('Feb: N/A');
  });
});
