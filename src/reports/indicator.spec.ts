import fc from 'fast-check';
import { percentHalfUp, presentIndicator } from './reports.service';

describe('the ditindaklanjuti indicator', () => {
  it('computes the example of the brief: 15 of 22 followed up is 68.18%, 136.36% of a 50% target', () => {
    expect(presentIndicator(15, 22, 'DITERIMA', '50', {})).toMatchObject({
      fraction: '15/22',
      realisasi: 68.18,
      capaian: 136.36,
      display: { realisasi: '68.18%', capaian: '136.36%' },
    });
  });

  it('answers N/A for a zero denominator, never 0% or 100%', () => {
    expect(presentIndicator(0, 0, 'DITERIMA', '50', {})).toMatchObject({
      realisasi: null,
      capaian: null,
      display: { realisasi: 'N/A', capaian: 'N/A' },
    });
  });

  it('never caps: with a planned number as denominator the realisation can pass 100%', () => {
    expect(presentIndicator(300, 288, 'TARGET', '80', {})).toMatchObject({
      realisasi: 104.17,
      capaian: 130.21,
    });
  });

  it('rounds half up, exactly, from the fraction', () => {
    expect(percentHalfUp(1n, 8n)).toBe(12.5);
    expect(percentHalfUp(1n, 3n)).toBe(33.33);
    expect(percentHalfUp(2n, 3n)).toBe(66.67);
    expect(percentHalfUp(1n, 16n)).toBe(6.25);
    // 0.000625 -> 0.0625% -> 0.06 (half up at the third decimal only when it is exactly 5)
    expect(percentHalfUp(5n, 8000n)).toBe(0.06);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100000 }), fc.integer({ min: 1, max: 100000 }), (n, d) => {
        const exact = (n / d) * 100;
        expect(Math.abs(percentHalfUp(BigInt(n), BigInt(d)) - exact)).toBeLessThanOrEqual(0.005 + 1e-9);
      }),
    );
  });
});
