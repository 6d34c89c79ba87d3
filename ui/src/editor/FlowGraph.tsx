/**
 * The flow's topology beside the editor, following the text as it is typed: parsed in the browser
 * (a short pause after the last key), laid out by ELK, drawn by @xyflow/react. While the text is not
 * valid YAML the last good graph stays, marked as such.
 */
import {
  applyNodeChanges,
  Background,
  Controls,
  type Edge,
  Handle,
  type Node,
  type NodeChange,
  type NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useState } from 'react';
import { parse } from 'yaml';
import type { StateType } from '../api/types.ts';
import { layoutTopology } from '../flow/layout.ts';
import { flowTopology, type NodeKind } from '../flow/topology.ts';
import type { Theme } from '../theme.ts';

/** Quiet time after the last change before the graph is redrawn: typing stays fluid on large flows. */
const REDRAW_DELAY_MS = 250;

interface NodeData extends Record<string, unknown> {
  label: string;
  kind: NodeKind;
  type?: string;
  fullType?: string;
  /** On the execution page: the state of the task's runs. */
  state?: StateType;
}

const TaskNode = ({ data }: NodeProps<Node<NodeData>>) => (
  <div
    className={`graph-node kind-${data.kind}${data.state ? ` node-state state-bd-${data.state}` : ''}`}
    title={data.state ? `${data.label}: ${data.state}` : (data.fullType ?? data.label)}
    data-node-kind={data.kind}
    data-state={data.state}
  >
    <Handle type="target" position={Position.Top} isConnectable={false} />
    <div className="id">{data.label}</div>
    {data.type ? <div className="type">{data.type}</div> : null}
    {data.state ? <div className={`node-state-label state state-${data.state}`}>{data.state}</div> : null}
    <Handle type="source" position={Position.Bottom} isConnectable={false} />
  </div>
);

const GroupNode = ({ data }: NodeProps<Node<NodeData>>) => (
  <div
    className={`graph-group${data.state ? ` state-bd-${data.state}` : ''}`}
    style={{ width: '100%', height: '100%' }}
    title={data.state ? `${data.label}: ${data.state}` : (data.fullType ?? data.label)}
    data-node-kind={data.kind}
    data-state={data.state}
  >
    <Handle type="target" position={Position.Top} isConnectable={false} />
    <strong>{data.label}</strong> {data.type ? <span>{data.type}</span> : null}
    <Handle type="source" position={Position.Bottom} isConnectable={false} />
  </div>
);

// Not xyflow's own `group` type: its built-in frame would be drawn around ours.
const nodeTypes = { task: TaskNode, cluster: GroupNode };

interface Graph {
  nodes: Node<NodeData>[];
  edges: Edge[];
}

const toGraph = async (doc: unknown): Promise<Graph> => {
  const topology = flowTopology(doc);
  const placed = await layoutTopology(topology);
  const nodes = topology.nodes.map((n): Node<NodeData> => {
    const p = placed.get(n.id);
    const grouped = n.kind === 'group' || n.kind === 'branch';
    return {
      id: n.id,
      type: grouped ? 'cluster' : 'task',
      position: { x: p?.x ?? 0, y: p?.y ?? 0 },
      data: {
        label: n.label,
        kind: n.kind,
        ...(n.type ? { type: n.type } : {}),
        ...(n.fullType ? { fullType: n.fullType } : {}),
      },
      ...(n.parent ? { parentId: n.parent } : {}),
      ...(grouped ? { style: { width: p?.width, height: p?.height } } : {}),
      draggable: false,
      connectable: false,
    };
  });
  const edges = topology.edges.map((e): Edge => ({ id: e.id, source: e.source, target: e.target }));
  return { nodes, edges };
};

/** Fits the view each time the graph is laid out anew. */
const FitOnChange = ({ version }: { version: number }) => {
  const flow = useReactFlow();
  useEffect(() => {
    if (version > 0) void flow.fitView({ padding: 0.1, maxZoom: 1 });
  }, [version, flow]);
  return null;
};

export interface FlowGraphProps {
  source: string;
  theme: Theme;
  /** States by task id (the execution page): nodes are colored by them. */
  states?: ReadonlyMap<string, StateType>;
}

/** The nodes with their task's state (kept measured sizes: the same objects when nothing changed). */
const colored = (
  nodes: Node<NodeData>[],
  states: ReadonlyMap<string, StateType> | undefined,
): Node<NodeData>[] =>
  states
    ? nodes.map((n) => {
        const state =
          n.data.kind === 'task' || n.data.kind === 'group' ? states.get(n.data.label) : undefined;
        return state && state !== n.data.state ? { ...n, data: { ...n.data, state } } : n;
      })
    : nodes;

const FlowGraphInner = ({ source, theme, states }: FlowGraphProps) => {
  const [graph, setGraph] = useState<Graph>({ nodes: [], edges: [] });
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      let doc: unknown;
      try {
        doc = parse(source);
      } catch (error) {
        setProblem(`The graph shows the last valid YAML: ${(error as Error).message.split('\n')[0]}`);
        return;
      }
      setProblem(undefined);
      toGraph(doc).then(
        (next) => {
          if (cancelled) return;
          setGraph(next);
          setVersion((v) => v + 1);
        },
        (error: unknown) => {
          if (!cancelled) setProblem(`The graph could not be laid out: ${String(error)}`);
        },
      );
    }, REDRAW_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [source]);

  // States change at every step of a run: the nodes get them without laying the graph out again. The
  // nodes are kept with what React Flow measured of them (applyNodeChanges): a node object given anew
  // without its measured size is hidden until measured again, which sometimes never came (a colored
  // node stayed invisible after a restart).
  const [nodes, setNodes] = useState<Node<NodeData>[]>([]);
  const [layout, setLayout] = useState(graph.nodes);
  if (layout !== graph.nodes) {
    // A new layout: its nodes replace the old ones (measured again by React Flow).
    setLayout(graph.nodes);
    setNodes(colored(graph.nodes, states));
  }
  useEffect(() => {
    setNodes((current) => colored(current, states));
  }, [states]);
  const onNodesChange = useCallback(
    (changes: NodeChange<Node<NodeData>>[]) => setNodes((current) => applyNodeChanges(changes, current)),
    [],
  );

  return (
    <div style={{ position: 'absolute', inset: 0 }} data-testid="flow-graph" data-nodes={graph.nodes.length}>
      {problem ? (
        <div
          className="notice"
          role="status"
          style={{ position: 'absolute', zIndex: 5, left: 8, right: 8, top: 0 }}
        >
          {problem}
        </div>
      ) : null}
      <ReactFlow
        nodes={nodes}
        onNodesChange={onNodesChange}
        edges={graph.edges}
        nodeTypes={nodeTypes}
        colorMode={theme}
        nodesDraggable={false}
        nodesConnectable={false}
        fitView
        minZoom={0.2}
        aria-label="Topology of the flow"
      >
        <Background />
        <Controls showInteractive={false} />
        <FitOnChange version={version} />
      </ReactFlow>
    </div>
  );
};

const FlowGraph = (props: FlowGraphProps) => (
  <ReactFlowProvider>
    <FlowGraphInner {...props} />
  </ReactFlowProvider>
);

export default FlowGraph;
