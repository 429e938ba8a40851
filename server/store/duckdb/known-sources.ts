// What each source id is, held in memory for reads. A page names the sources of its entries, and
// asking the catalog for them was a statement in every read. The writer keeps it (BatchWriter):
// every source at open, then each new or changed one once its commit is done. An id a read meets
// before that (committed, not yet applied) is asked of the catalog, so no read lacks a source.
import type { SourceMeta } from '../../../common/ingest-batch';
import type { SourceInfo } from '../log-storage';

export class KnownSources {
  private readonly byId = new Map<number, SourceInfo>();
  private labelKeyList: readonly string[] | null = null;

  set(id: number, meta: SourceMeta): void {
    // Frozen: the same object goes into every answer that names the source.
    const labels = Object.freeze(sortedObject(meta.labels));
    this.byId.set(id, Object.freeze({ node: meta.node, namespace: meta.namespace, pod: meta.pod, container: meta.container, containerId: meta.containerId, labels }));
    this.labelKeyList = null;
  }

  delete(id: number): void {
    if (this.byId.delete(id)) this.labelKeyList = null;
  }

  get(id: number): SourceInfo | undefined {
    return this.byId.get(id);
  }

  /** Every label key of every known source, each once. */
  labelKeys(): readonly string[] {
    if (!this.labelKeyList) {
      const keys = new Set<string>();
      for (const source of this.byId.values()) for (const key of Object.keys(source.labels)) keys.add(key);
      this.labelKeyList = [...keys];
    }
    return this.labelKeyList;
  }
}

/** Keys in code-unit order: labels are stored, compared and shown so. */
export function sortedObject(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
