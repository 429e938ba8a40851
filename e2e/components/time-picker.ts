// Quick ranges, typed bounds and auto-refresh.
import type { Locator, Page } from '@playwright/test';

export class TimePicker {
  readonly quickRange: Locator;
  readonly from: Locator;
  readonly to: Locator;
  readonly refresh: Locator;

  constructor(page: Page) {
    this.quickRange = page.getByTestId('quick-range');
    this.from = page.getByTestId('range-from');
    this.to = page.getByTestId('range-to');
    this.refresh = page.getByRole('combobox', { name: 'Auto-refresh' });
  }

  async pickQuickRange(label: string): Promise<void> {
    await this.quickRange.selectOption({ label });
  }

  async pickCustomRange(from: string, to: string): Promise<void> {
    await this.from.fill(from);
    await this.to.fill(to);
    await this.to.press('Enter');
  }

  async autoRefresh(every: 'off' | '5s' | '30s' | '1m'): Promise<void> {
    await this.refresh.selectOption(every);
  }
}
