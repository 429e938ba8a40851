import fs from 'node:fs/promises';

/** Waits until `file` (a directory too: its entries) is on disk, as a power cut would find it. */
export async function syncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
