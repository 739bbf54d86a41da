import { Handle, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { Category } from '../core/kinds/types';
import type { PortType } from '../core/shape';
import { CATEGORY_COLORS, PORT_COLORS } from './theme';

export interface PortView {
  name: string;
  type: PortType;
  optional?: boolean;
  shape?: string;
}

export interface GraphNodeData extends Record<string, unknown> {
  title: string;
  kindTitle: string;
  category: Category;
  inputs: PortView[];
  outputs: PortView[];
  problems: string[];
  shared?: string;
  trainable: boolean;
}

export type GraphFlowNode = Node<GraphNodeData, 'graph'>;

/** One generic node: ports from the registry, the inferred shape on each output, problems marked. */
export const GraphNode = memo(function GraphNode({ data, selected }: NodeProps<GraphFlowNode>) {
  const color = CATEGORY_COLORS[data.category];
  const bad = data.problems.length > 0;
  return (
    <div
      className={`gg-node${selected ? ' selected' : ''}${bad ? ' has-problem' : ''}`}
      style={{ borderTopColor: color }}
      title={bad ? data.problems.join('\n') : undefined}
      data-testid="graph-node"
    >
      <div className="gg-node-head">
        <span className="gg-node-title">{data.title}</span>
        {bad && (
          <span className="gg-node-flag" aria-label={`${data.problems.length} problem(s)`}>
            !
          </span>
        )}
      </div>
      <div className="gg-node-kind" style={{ color }}>
        {data.kindTitle}
        {data.trainable && (
          <span className="gg-badge">{data.shared ? `weights of ${data.shared}` : 'trainable'}</span>
        )}
      </div>
      <div className="gg-ports">
        <div className="gg-port-col">
          {data.inputs.map((p) => (
            <div className="gg-port in" key={p.name}>
              <Handle
                type="target"
                position={Position.Left}
                id={p.name}
                style={{ background: PORT_COLORS[p.type] }}
                title={`${p.name}: ${p.type}`}
              />
              <span className={p.optional ? 'optional' : undefined}>{p.name}</span>
            </div>
          ))}
        </div>
        <div className="gg-port-col out">
          {data.outputs.map((p) => (
            <div className="gg-port out" key={p.name}>
              <span>
                {p.name}
                {p.shape && <em className="gg-shape">{p.shape}</em>}
              </span>
              <Handle
                type="source"
                position={Position.Right}
                id={p.name}
                style={{ background: PORT_COLORS[p.type] }}
                title={`${p.name}: ${p.type}`}
              />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
});
