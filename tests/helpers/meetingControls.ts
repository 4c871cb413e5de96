import type { Page } from 'playwright-core';

/**
 * Presses a meeting control by its accessible name, opening the controls' overflow menu ("More…") first
 * when the control is tucked away there (on a phone the meeting room keeps one row of controls).
 */
export async function pressControl(page: Page, name: string): Promise<void> {
  const control = page.getByRole('button', { name, exact: true }).or(page.getByRole('menuitem', { name, exact: true })).first();
  if (!(await control.isVisible())) await page.getByRole('button', { name: /^More/ }).click();
  await control.click();
}
