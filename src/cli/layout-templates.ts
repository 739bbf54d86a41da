/**
 * Lays out the bundled templates left to right with the editor's own auto-layout (dagre), so they open
 * tidy: `npx tsx src/cli/layout-templates.ts [template.json ...]`. Only node positions change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadDocument } from '../core/document/load';
import { analyze, nodeName } from '../core/graph/analyze';
import { formatShape } from '../core/shape';
import { estimateNodeSize, layoutPositions } from '../ui/layout';

const files = process.argv.slice(2);
for (const file of files) {
  let text = readFileSync(file, 'utf8');
  const doc = loadDocument(text).doc;
  if (!doc) throw new Error(`${file} does not load`);
  const a = analyze(doc);
  const sizes = Object.fromEntries(
    Object.keys(doc.nodes).map((id) => {
      const info = a.nodes[id]!;
      const outs = info.outputs.map((p) => {
        const o = info.outputInfo[p.name];
        return `${p.name} ${o ? formatShape(o.shape) : ''}`;
      });
      return [
        id,
        estimateNodeSize(
          nodeName(doc, id),
          info.inputs.map((p) => p.name),
          outs,
        ),
      ];
    }),
  );
  const pos = layoutPositions(doc, sizes);
  // Edit the positions in place, so the file keeps its hand-made formatting and the diff stays small.
  const nodesAt = text.indexOf('"nodes"');
  for (const [id, p] of Object.entries(pos)) {
    const at = text.indexOf(`"${id}": {`, nodesAt);
    const re = /"position": \{[^}]*\}/y;
    re.lastIndex = text.indexOf('"position"', at);
    if (at < 0 || !re.test(text)) throw new Error(`${file}: cannot find the position of ${id}`);
    const start = text.indexOf('"position"', at);
    text = `${text.slice(0, start)}"position": { "x": ${p.x}, "y": ${p.y} }${text.slice(re.lastIndex)}`;
  }
  writeFileSync(file, text);
  console.log(`laid out ${file}`);
}
