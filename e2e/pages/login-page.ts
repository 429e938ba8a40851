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

  async signIn(user: string, password: string): Promise<void> {
    await this.user.click();
    await this.user.pressSequentially(user);
    await this.password.click();
    await this.password.pressSequentially(password);
    await this.submit.click();
  }
}
