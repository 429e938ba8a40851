export const STANDALONE_DIR: string;
export function buildStandalone(): string;
