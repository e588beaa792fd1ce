import { escapeHtml, formatLocal } from '../common/format';

/** What the complainant keeps: the register number and the tracking code, never shown again. */
export interface Receipt {
  registerNumber: string;
  trackingCode: string;
  receivedAt: Date;
  /** Where the status can be looked up, relative to the service's address. */
  statusPath: string;
  text: string;
}

export function receiptOf(
  row: { registerNumber: string; receivedAt: Date },
  trackingCode: string,
  zone: string,
): Receipt {
  const text = [
    'TANDA TERIMA PENGADUAN',
    '',
    `Pengaduan Anda telah kami terima pada ${formatLocal(row.receivedAt, zone)} dan dicatat dengan`,
    `nomor register ${row.registerNumber}.`,
    '',
    `Kode pelacakan: ${trackingCode}`,
    '',
    'Dengan nomor register dan kode pelacakan ini Anda dapat mengikuti perkembangan pengaduan Anda',
    'tanpa akun. Simpan kode ini dan jangan berikan kepada orang lain; petugas kami tidak akan',
    'pernah menanyakannya.',
  ].join('\n');
  return {
    registerNumber: row.registerNumber,
    trackingCode,
    receivedAt: row.receivedAt,
    statusPath: '/api/public/status',
    text,
  };
}

export function receiptMail(receipt: Receipt) {
  return {
    kind: 'TANDA_TERIMA',
    subject: `Tanda terima pengaduan ${receipt.registerNumber}`,
    text: receipt.text,
    html: `<pre style="font-family: sans-serif">${escapeHtml(receipt.text)}</pre>`,
  };
}
