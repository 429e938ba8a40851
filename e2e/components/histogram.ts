// The hit histogram, as a user drives it with the mouse.
import type { Page } from '@playwright/test';

export class Histogram {
  constructor(private readonly page: Page) {}

  /**
   * Presses at `from` and releases at `to`, as fractions of the chart's width, moving in between;
   * with `releaseOutside`, the pointer leaves the chart downwards before it is released.
   */
  async drag(from: number, to: number, { releaseOutside = false } = {}): Promise<void> {
    const chart = this.page.getByTestId('histogram-chart').locator('svg').first();
    const box = (await chart.boundingBox())!;
    await this.page.mouse.move(box.x + box.width * from, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * to, box.y + box.height / 2, { steps: 8 });
    if (releaseOutside) await this.page.mouse.move(box.x + box.width * to, box.y + box.height + 120, { steps: 4 });
    await this.page.mouse.up();
  }

  /** A quick drag: pressed at `from`, moved in one go to `to` and below the chart, released there. */
  async flick(from: number, to: number): Promise<void> {
    const chart = this.page.getByTestId('histogram-chart').locator('svg').first();
    const box = (await chart.boundingBox())!;
    await this.page.mouse.move(box.x + box.width * from, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * to, box.y + box.height + 120);
    await this.page.mouse.up();
  }
}
