// A sign-in form as a user sees it: two labelled fields and a button. The same steps fill in
// Logpond's own form or a look-alike on another site.
import type { Locator, Page } from '@playwright/test';

export class LoginPage {
  readonly user: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  /** (Next's route announcer is an alert too, so the message is found by its text.) */
  readonly failure: Locator;

  constructor(readonly page: Page) {
    this.user = page.getByLabel('User');
    this.password = page.getByLabel('Password');
    this.submit = page.getByRole('button', { name: 'Sign in' });
    this.failure = page.getByText('Unknown user or wrong password.');
  }

  /** Types over what the boxes hold (after a failed try, the user name is filled in again). */
  async signIn(user: string, password: string): Promise<void> {
    for (const [box, text] of [[this.user, user], [this.password, password]] as const) {
      await box.click();
      await this.page.keyboard.press('ControlOrMeta+a');
      await box.pressSequentially(text);
    }
    await this.submit.click();
  }
}
