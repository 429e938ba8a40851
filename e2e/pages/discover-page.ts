// The Discover page as a user sees it: a search box, a time picker, a histogram and the table.
import { expect, type Locator, type Page } from '@playwright/test';
import { serverUrl } from '../seed';

export class DiscoverPage {
  readonly query: Locator;
  readonly rows: Locator;
  readonly messages: Locator;
  readonly suggestions: Locator;
  readonly queryError: Locator;
  readonly totalHits: Locator;
  readonly pills: Locator;
  readonly topValues: Locator;

  constructor(readonly page: Page) {
    this.query = page.getByTestId('query');
    this.rows = page.getByTestId('hit-row');
    this.messages = page.getByTestId('hit-message');
    this.suggestions = page.getByTestId('suggestions').getByRole('option');
    this.queryError = page.getByTestId('query-error');
    this.totalHits = page.getByTestId('total-hits');
    this.pills = page.getByTestId('filter-pill');
    this.topValues = page.getByTestId('top-value');
  }

  /** Opens a field of the field list to its top values. */
  async openField(name: string): Promise<void> {
    await this.page.locator(`[data-testid=field][data-field="${name}"] .field-name`).click();
  }

  async open(params: Record<string, string> = {}): Promise<void> {
    const search = new URLSearchParams(params).toString();
    await this.page.goto(`${serverUrl()}/${search ? `?${search}` : ''}`);
    await expect(this.query).toBeVisible();
  }

  /** Types a query as a user would and presses Enter. */
  async search(q: string): Promise<void> {
    await this.query.fill(q);
    await this.query.press('Escape'); // close suggestions so Enter searches
    await this.query.press('Enter');
  }

  async quickRange(label: string): Promise<void> {
    await this.page.getByTestId('quick-range').selectOption({ label });
  }

  async customRange(from: string, to: string): Promise<void> {
    await this.page.getByTestId('range-from').fill(from);
    await this.page.getByTestId('range-to').fill(to);
    await this.page.getByTestId('range-to').press('Enter');
  }

  /** Saves the page as it is under e2e/screenshots/ (git-ignored), for a look at the main states. */
  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/screenshots/${name}.png` });
  }

  async messageTexts(): Promise<string[]> {
    return this.messages.allInnerTexts();
  }
}
