/** Letters from admin-editable templates: `{{placeholder}}` replaced, plain text and HTML. */
import { escapeHtml } from '../common/format';

export const PLACEHOLDERS = [
  'penerima',
  'institusi',
  'nomorSurat',
  'tanggalSurat',
  'nomorRegister',
  'tenggat',
  'unit',
  // In reminders: the sentence saying the signed letter is attached again (empty without one).
  'lampiran',
] as const;
export type LetterValues = Record<(typeof PLACEHOLDERS)[number], string>;

/** The template of the cover text under which the signed letter goes to each institution. */
export const COVER_LETTER = 'PENGANTAR_SURAT';

/** What {{lampiran}} says in a reminder of a round whose signed letter went out by mail. */
export function attachedAgain(hasLetter: boolean): string {
  return hasLetter ? 'Salinan surat tersebut kami lampirkan kembali pada surel ini.\n\n' : '';
}

export function unknownPlaceholders(text: string): string[] {
  const used = [...text.matchAll(/\{\{\s*([A-Za-z]+)\s*\}\}/g)].map((m) => m[1]);
  return [...new Set(used.filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p)))];
}

function fill(text: string, values: LetterValues): string {
  return text.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (whole, key: string) =>
    key in values ? values[key as keyof LetterValues] : whole,
  );
}

export function renderLetter(template: { subject: string; bodyText: string }, values: LetterValues) {
  const text = fill(template.bodyText, values);
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return {
    subject: fill(template.subject, values).replace(/[\r\n]+/g, ' '),
    text,
    html: `<!doctype html><html lang="id"><body style="font-family: serif; line-height: 1.5">\n${paragraphs}\n</body></html>`,
  };
}
