// The query box and its suggestions, as a user drives them.
import { expect, type Locator, type Page } from '@playwright/test';

export class SearchBar {
  readonly input: Locator;
  readonly suggestions: Locator;
  readonly error: Locator;
  private readonly list: Locator;

  constructor(page: Page) {
    this.input = page.getByTestId('query');
    this.list = page.getByTestId('suggestions');
    this.suggestions = this.list.getByRole('option');
    this.error = page.getByTestId('query-error');
  }

  /** Waits, as a reader does, until the list shown is the one for the text now in the box. */
  async expectFirstSuggestion(text: string): Promise<void> {
    await expect(this.list).toHaveAttribute('aria-busy', 'false');
    await expect(this.suggestions.first()).toContainText(text);
  }

  /** Replaces the query and presses Enter, which searches whatever the suggestions show. */
  async search(q: string): Promise<void> {
    await this.input.fill(q);
    await this.input.press('Enter');
  }
}
