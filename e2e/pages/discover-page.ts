// The Discover page as a user sees it: a search bar, a time picker, the field list, a histogram
// and the table. Parts with their own behaviour are component objects in e2e/components/.
import { expect, type Locator, type Page } from '@playwright/test';
import { FieldList } from '../components/field-list';
import { Histogram } from '../components/histogram';
import { SearchBar } from '../components/search-bar';
import { TimePicker } from '../components/time-picker';
import { serverUrl } from '../seed';

export class DiscoverPage {
  readonly searchBar: SearchBar;
  readonly timePicker: TimePicker;
  readonly fieldList: FieldList;
  readonly histogram: Histogram;
  readonly rows: Locator;
  readonly messages: Locator;
  readonly totalHits: Locator;
  readonly pills: Locator;

  constructor(readonly page: Page) {
    this.searchBar = new SearchBar(page);
    this.timePicker = new TimePicker(page);
    this.fieldList = new FieldList(page);
    this.histogram = new Histogram(page);
    this.rows = page.getByTestId('hit-row');
    this.messages = page.getByTestId('hit-message');
    this.totalHits = page.getByTestId('total-hits');
    this.pills = page.getByTestId('filter-pill');
  }

  // Shorthands for what nearly every spec uses.
  get query(): Locator {
    return this.searchBar.input;
  }
  get suggestions(): Locator {
    return this.searchBar.suggestions;
  }
  get queryError(): Locator {
    return this.searchBar.error;
  }
  get topValues(): Locator {
    return this.fieldList.topValues;
  }

  async open(params: Record<string, string> = {}): Promise<void> {
    const search = new URLSearchParams(params).toString();
    await this.page.goto(`${serverUrl()}/${search ? `?${search}` : ''}`);
    await expect(this.query).toBeVisible();
  }

  search(q: string): Promise<void> {
    return this.searchBar.search(q);
  }

  quickRange(label: string): Promise<void> {
    return this.timePicker.pickQuickRange(label);
  }

  customRange(from: string, to: string): Promise<void> {
    return this.timePicker.pickCustomRange(from, to);
  }

  openField(name: string): Promise<void> {
    return this.fieldList.open(name);
  }

  /** Saves the page as it is under e2e/screenshots/ (git-ignored), for a look at the main states. */
  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/screenshots/${name}.png` });
  }

  async messageTexts(): Promise<string[]> {
    return this.messages.allInnerTexts();
  }
}
