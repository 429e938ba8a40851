// The query box and its suggestions, as a user drives them.
import type { Locator, Page } from '@playwright/test';

export class SearchBar {
  readonly input: Locator;
  readonly suggestions: Locator;
  readonly error: Locator;

  constructor(page: Page) {
    this.input = page.getByTestId('query');
    this.suggestions = page.getByTestId('suggestions').getByRole('option');
    this.error = page.getByTestId('query-error');
  }

  /** Types a query and presses Enter (closing the suggestions first, as a user would with Esc). */
  async search(q: string): Promise<void> {
    await this.input.fill(q);
    await this.input.press('Escape');
    await this.input.press('Enter');
  }
}
