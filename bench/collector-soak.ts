export async function soak(_: { minutes: number; rate: number; pinned: boolean; multiline: string }): Promise<void> {}
