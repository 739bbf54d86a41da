import { Handle, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';

export interface GroupFrameData extends Record<string, unknown> {
  groupId: string;
  label: string;
  collapsed: boolean;
  count: number;
  onToggle(groupId: string): void;
  onUngroup(groupId: string): void;
  onRename(groupId: string, label: string): void;
}

export type GroupFrameNode = Node<GroupFrameData, 'frame'>;

/** A named frame around a network's nodes; collapsed, it stands in for them, wires and all. */
export const GroupFrame = memo(function GroupFrame({ data, selected }: NodeProps<GroupFrameNode>) {
  return (
    <div
      className={`gg-frame${data.collapsed ? ' collapsed' : ''}${selected ? ' selected' : ''}`}
      data-testid="group-frame"
      data-group={data.groupId}
    >
      <div className="gg-frame-head">
        <button
          type="button"
          className="gg-frame-toggle nodrag"
          aria-label={data.collapsed ? `Expand ${data.label}` : `Collapse ${data.label}`}
          aria-expanded={!data.collapsed}
          onClick={() => data.onToggle(data.groupId)}
        >
          {data.collapsed ? '▸' : '▾'}
        </button>
        <span
          className="gg-frame-label"
          title="Double-click to rename"
          onDoubleClick={() => {
            const next = window.prompt('Name this group', data.label);
            if (next) data.onRename(data.groupId, next);
          }}
        >
          {data.label}
        </span>
        {data.collapsed && <span className="gg-frame-count">{data.count} nodes</span>}
        <button
          type="button"
          className="gg-frame-ungroup nodrag"
          aria-label={`Ungroup ${data.label}`}
          title="Ungroup (the nodes stay)"
          onClick={() => data.onUngroup(data.groupId)}
        >
          ×
        </button>
      </div>
      {data.collapsed && (
        <>
          <Handle type="target" position={Position.Left} id="in" isConnectable={false} />
          <Handle type="source" position={Position.Right} id="out" isConnectable={false} />
        </>
      )}
    </div>
  );
});
