// The field list beside the table.
import type { Locator, Page } from '@playwright/test';

export class FieldList {
  readonly list: Locator;
  readonly fields: Locator;
  readonly topValues: Locator;

  constructor(private readonly page: Page) {
    this.list = page.getByTestId('field-list');
    this.fields = page.getByTestId('field');
    this.topValues = page.getByTestId('top-value');
  }

  /** Opens a field to its top values. */
  async open(name: string): Promise<void> {
    await this.page.locator(`[data-testid=field][data-field="${name}"] .field-name`).click();
  }

  async filterFor(field: string, value: string): Promise<void> {
    await this.page.getByRole('button', { name: `Filter for ${field} ${value}` }).click();
  }
}
