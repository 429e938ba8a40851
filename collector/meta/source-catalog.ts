// Each followed path's SourceMeta: identity from the file name, enriched by the metadata
// provider. Both are asked again for every batch (a regex and a map lookup): a watch-fed cache
// may learn about a pod after its first lines were read, and nothing needs forgetting.
import type { SourceMeta } from '../../common/ingest-batch';
import { parseLogFileName } from '../parse/file-name';
import type { MetadataProvider } from './metadata-provider';

export class SourceCatalog {
  private readonly excludedNamespaces: ReadonlySet<string>;

  constructor(
    private readonly node: string,
    private readonly provider: MetadataProvider | undefined,
    excludeNamespaces: readonly string[] = [],
  ) {
    this.excludedNamespaces = new Set(excludeNamespaces);
  }

  /** The path's source, or undefined when its namespace or pod is excluded from collection. */
  sourceFor(path: string): SourceMeta | undefined {
    const { namespace, pod, container, containerId, recognized } = parseLogFileName(path);
    if (this.excludedNamespaces.has(namespace) || this.provider?.isExcluded?.(namespace, pod)) return undefined;
    const base: SourceMeta = {
      // Node + container id is unique; a file with an unrecognised name is keyed by its name.
      key: recognized ? `${this.node}/${containerId}` : `${this.node}/file:${pod}`,
      node: this.node,
      namespace,
      pod,
      podUid: '',
      container,
      containerId,
      labels: {},
      annotations: {},
    };
    const extra = this.provider?.lookup(namespace, pod, container, containerId);
    if (!extra) return base;
    const known = Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined));
    // The key stays the collector's: it must not change when the provider learns more.
    return { ...base, ...known, key: base.key };
  }
}
