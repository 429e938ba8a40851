export const COLLECTOR_BUNDLE: string;
export function buildCollector(): string;
