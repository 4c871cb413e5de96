/**
 * A form field's value as text: '' when the field is missing or holds a file (a `FormData` entry may be a
 * `File`, which must never be turned into "[object File]").
 */
export function formFieldText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
