/**
 * Values as forms and query strings deliver them: a field may come once, several times (checkbox
 * groups, multiple selects) or not at all.
 */
export type FormValue = string | string[] | undefined;

/** One trimmed text; the first if the field came several times; '' if absent. */
export function formText(value: FormValue): string {
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
}

/** Every value of a field that may repeat. */
export function formList(value: FormValue): string[] {
  return Array.isArray(value) ? value : value ? [value] : [];
}

/** A query-string parameter as trimmed text ('' when absent or repeated oddly). */
export function queryText(query: Record<string, unknown>, key: string): string {
  const value = query[key];
  return typeof value === 'string' ? value.trim() : '';
}
