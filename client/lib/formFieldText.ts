/**
 * A form field's value as text: '' when the field is missing or holds a file (a `FormData` entry may be a
 * `File`, which must never be turned into "[object File]").
 */
export function formFieldText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** Ticks the radio button of group `name` whose value is `value` (and so unticks the others in the group). */
export function checkRadio(form: HTMLFormElement, name: string, value: string): void {
  for (const radio of form.querySelectorAll<HTMLInputElement>('input[type="radio"]')) {
    if (radio.name === name) radio.checked = radio.value === value;
  }
}
