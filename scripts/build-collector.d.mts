export const COLLECTOR_BUNDLE: string;
export const COLLECTOR_NODE_FLAGS: string[];
export const COLLECTOR_ENV: Record<string, string>;
export function buildCollector(): string;
