/**
 * Places a topology with ELK's layered algorithm, top to bottom, groups around their children. ELK (a
 * large library) is loaded on first use. Positions are relative to the node's group, as @xyflow/react
 * wants them.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { NodeKind, Topology } from './topology.ts';

export interface Placed {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const SIZES: Record<Exclude<NodeKind, 'group' | 'branch'>, { width: number; height: number }> = {
  task: { width: 180, height: 46 },
  trigger: { width: 180, height: 46 },
  start: { width: 64, height: 28 },
  end: { width: 64, height: 28 },
};

const LAYOUT = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  // Edges between nodes of different groups are laid out with the whole graph.
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '24',
  // Room at the top of a group for its title.
  'elk.padding': '[top=30,left=12,bottom=12,right=12]',
};

let elk: Promise<{ layout(graph: ElkNode): Promise<ElkNode> }> | undefined;
const loadElk = () => {
  elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK());
  return elk;
};

export const layoutTopology = async (topology: Topology): Promise<Map<string, Placed>> => {
  const elkNodes = new Map<string, ElkNode>();
  const root: ElkNode = { id: 'root', layoutOptions: LAYOUT, children: [], edges: [] };
  for (const node of topology.nodes) {
    const elkNode: ElkNode =
      node.kind === 'group' || node.kind === 'branch'
        ? { id: node.id, children: [], layoutOptions: LAYOUT }
        : { id: node.id, ...SIZES[node.kind] };
    elkNodes.set(node.id, elkNode);
  }
  for (const node of topology.nodes) {
    const parent = node.parent ? elkNodes.get(node.parent) : root;
    (parent ?? root).children!.push(elkNodes.get(node.id)!);
  }
  root.edges = topology.edges.map(
    (e): ElkExtendedEdge => ({ id: e.id, sources: [e.source], targets: [e.target] }),
  );
  const laid = await (await loadElk()).layout(root);
  const placed = new Map<string, Placed>();
  const walk = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      placed.set(child.id, {
        id: child.id,
        x: child.x ?? 0,
        y: child.y ?? 0,
        width: child.width ?? 0,
        height: child.height ?? 0,
      });
      walk(child);
    }
  };
  walk(laid);
  return placed;
};
