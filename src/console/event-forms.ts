/**
 * How a submitted event form becomes the event's body. The forms themselves (labels, fields) are
 * the workflow packs', read from GET /api/workflows.
 */
import { fromLocalInput } from './format';
import type { EventField } from '../../workflows';
import { formList, formText, type FormValue } from './form-values';

export type { EventField, FieldKind } from '../../workflows';

type Form = Record<string, FormValue>;

export function eventBody(
  type: string,
  fields: readonly EventField[],
  form: Form,
  zone: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { type };
  const occurred = formText(form.occurredAt);
  if (occurred) body.occurredAt = fromLocalInput(occurred, zone) ?? occurred;
  const note = formText(form.catatan);
  if (note) body.catatan = note;
  const lateReason = formText(form.alasanTerlambat);
  if (lateReason) body.alasanTerlambat = lateReason;
  for (const field of fields) {
    const raw = form[field.name];
    if (field.kind === 'checkbox') body[field.name] = raw === 'ya';
    else if (field.kind === 'institutions') body[field.name] = formList(raw);
    else if (field.kind === 'reminders-decision') {
      // Absent when no institution is still reminded: the API then asks nothing.
      if (formText(raw)) body[field.name] = formText(raw);
    } else {
      // A field left empty that the event does not need is not sent (an officer left empty: the
      // unit's shared queue).
      const value = formText(raw);
      if (value || field.required) body[field.name] = value;
    }
  }
  return body;
}
