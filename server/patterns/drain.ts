// Drain (He et al., ICWS 2017): online log clustering with a fixed-depth parse tree. A line's
// tokens (tokens.ts) go down the tree by their count, then by their first few tokens, to a leaf
// holding a few clusters; the line joins the most similar one (the share of positions where the
// cluster's template has the line's token) if that share reaches the threshold, and the template
// turns each position where they differ into `<_>`. Otherwise the line starts a cluster.
//
// Parameters, from Drain3's defaults and Loki's pkg/pattern/drain, chosen on the bench corpus
// (README, Benchmarks): depth 4 (the count, then two leading tokens, as Drain3), similarity 0.4
// (Drain3; Loki's 0.3 merged different messages whose words differ in a few places), at most 100
// children a node (Drain3), and a cap on clusters that bounds memory on a hostile sample.
import { PLACEHOLDER } from '../query/pattern-template';

export interface DrainOptions {
  /** Levels of the tree: the token count, then depth - 2 leading tokens. At least 3. */
  depth: number;
  /** Least share of equal tokens for a line to join a cluster, in [0, 1]. */
  similarity: number;
  /** Children a node may have before further tokens share its `<_>` child. */
  maxChildren: number;
  /** Clusters at most; lines that would start one past it are counted as unclustered. */
  maxClusters: number;
  /** Example lines kept per cluster. */
  examples: number;
}

export const DRAIN_DEFAULTS: DrainOptions = { depth: 4, similarity: 0.4, maxChildren: 100, maxClusters: 20_000, examples: 2 };

export interface Cluster {
  tokens: string[];
  count: number;
  examples: string[];
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
}

/** Distinct masked lines remembered, bounding the memory of a sample of unique lines. */
const MAX_SEEN = 200_000;

const newNode = (): TreeNode => ({ children: new Map(), clusters: [] });

/** Tokens holding digits or a placeholder take the `<_>` branch: they are likely to vary. */
function varies(token: string): boolean {
  return token.includes(PLACEHOLDER) || /\d/.test(token);
}

export class Drain {
  private readonly options: DrainOptions;
  private readonly byLength = new Map<number, TreeNode>();
  private readonly all: Cluster[] = [];
  /** Masked lines seen, and the cluster each joined. */
  private readonly seen = new Map<string, Cluster>();
  /** Lines refused a cluster of their own past maxClusters. */
  unclustered = 0;

  constructor(options: Partial<DrainOptions> = {}) {
    this.options = { ...DRAIN_DEFAULTS, ...options };
    if (this.options.depth < 3) throw new Error('Drain depth must be at least 3');
  }

  /** Adds one line, given as its tokens; `example` is the text shown for it. Answers the cluster it joined. */
  add(tokens: string[], example: string): Cluster | null {
    // A line whose tokens were seen before joins the cluster its twin joined: most lines repeat
    // once masked, and a search of the leaf costs its clusters times the tokens.
    const key = tokens.join(' ');
    const twin = this.seen.get(key);
    if (twin) {
      twin.count++;
      if (twin.examples.length < this.options.examples && !twin.examples.includes(example)) twin.examples.push(example);
      return twin;
    }
    const cluster = this.place(tokens, example);
    if (cluster && this.seen.size < MAX_SEEN) this.seen.set(key, cluster);
    return cluster;
  }

  private place(tokens: string[], example: string): Cluster | null {
    let root = this.byLength.get(tokens.length);
    if (!root) this.byLength.set(tokens.length, (root = newNode()));
    const leaf = this.leafFor(root, tokens);
    const cluster = this.bestMatch(leaf.clusters, tokens);
    if (cluster) {
      const template = cluster.tokens;
      for (let i = 0; i < template.length; i++) if (template[i] !== tokens[i]) template[i] = PLACEHOLDER;
      cluster.count++;
      if (cluster.examples.length < this.options.examples && !cluster.examples.includes(example)) cluster.examples.push(example);
      return cluster;
    }
    if (this.all.length >= this.options.maxClusters) {
      this.unclustered++;
      return null;
    }
    const created: Cluster = { tokens: [...tokens], count: 1, examples: [example] };
    leaf.clusters.push(created);
    this.all.push(created);
    return created;
  }

  /** Every cluster, those that ended up with the same template merged, most lines first. */
  clusters(): Cluster[] {
    const byTemplate = new Map<string, Cluster>();
    for (const cluster of this.all) {
      const key = cluster.tokens.join(' ');
      const same = byTemplate.get(key);
      if (!same) {
        byTemplate.set(key, { tokens: cluster.tokens, count: cluster.count, examples: [...cluster.examples] });
        continue;
      }
      same.count += cluster.count;
      for (const example of cluster.examples) {
        if (same.examples.length < this.options.examples && !same.examples.includes(example)) same.examples.push(example);
      }
    }
    return [...byTemplate.values()].sort((a, b) => b.count - a.count);
  }

  /** The leaf for these tokens, made on the way down where missing. */
  private leafFor(root: TreeNode, tokens: string[]): TreeNode {
    let node = root;
    const prefix = Math.min(tokens.length, this.options.depth - 2);
    for (let i = 0; i < prefix; i++) {
      const token = varies(tokens[i]) ? PLACEHOLDER : tokens[i];
      let next = node.children.get(token);
      if (!next) {
        // A full node sends new tokens down its shared `<_>` branch (one slot is kept for it).
        const full = token !== PLACEHOLDER && node.children.size >= this.options.maxChildren - 1;
        const key = full ? PLACEHOLDER : token;
        next = node.children.get(key);
        if (!next) node.children.set(key, (next = newNode()));
      }
      node = next;
    }
    return node;
  }

  private bestMatch(clusters: Cluster[], tokens: string[]): Cluster | null {
    let best: Cluster | null = null;
    let bestSimilarity = -1;
    let bestParams = -1;
    for (const cluster of clusters) {
      let same = 0;
      let params = 0;
      const template = cluster.tokens;
      for (let i = 0; i < template.length; i++) {
        if (template[i] === PLACEHOLDER) params++;
        else if (template[i] === tokens[i]) same++;
      }
      const similarity = template.length === 0 ? 1 : same / template.length;
      if (similarity > bestSimilarity || (similarity === bestSimilarity && params > bestParams)) {
        best = cluster;
        bestSimilarity = similarity;
        bestParams = params;
      }
    }
    return best && bestSimilarity >= this.options.similarity ? best : null;
  }
}
