import { pengaduanV1 } from '.';
import { eventBody } from '../../../src/console/event-forms';

const fields = (type: string) => pengaduanV1.forms[type].fields;

describe('eventBody', () => {
  it('turns a letter form into the KIRIM_SURAT payload, one institution or several', () => {
    expect(
      eventBody(
        'KIRIM_SURAT',
        fields('KIRIM_SURAT'),
        { letterNumber: ' W6.HAM-12 ', institutionIds: 'a', catatan: '' },
        'Asia/Jakarta',
      ),
    ).toEqual({
      type: 'KIRIM_SURAT',
      letterNumber: 'W6.HAM-12',
      institutionIds: ['a'],
    });
    expect(
      eventBody(
        'KIRIM_SURAT',
        fields('KIRIM_SURAT'),
        { letterNumber: 'x', institutionIds: ['a', 'b'] },
        'Asia/Jakarta',
      ).institutionIds,
    ).toEqual(['a', 'b']);
  });

  it('reads the approval checkbox as a boolean and a back-dated time in the unit zone', () => {
    expect(
      eventBody(
        'SETUJUI_TELAAH',
        fields('SETUJUI_TELAAH'),
        { kesimpulan: 'REKOMENDASI', occurredAt: '2026-03-02T09:15', catatan: 'lengkap' },
        'Asia/Makassar',
      ),
    ).toEqual({
      type: 'SETUJUI_TELAAH',
      kesimpulan: 'REKOMENDASI',
      audiensi: false,
      occurredAt: '2026-03-02T09:15:00+08:00',
      catatan: 'lengkap',
    });
  });
});
