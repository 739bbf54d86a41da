/**
 * The assignment problem on a square matrix (Kuhn–Munkres, O(n³), the shortest-augmenting-path form):
 * returns `assign[row] = column` maximising the sum of `score[row][column]`. Used to match InfoGAN's
 * categorical codes to digit labels.
 */
export function hungarianMax(score: number[][]): number[] {
  const n = score.length;
  if (score.some((r) => r.length !== n)) throw new Error('hungarianMax: the matrix must be square');
  const max = Math.max(0, ...score.flat());
  const cost = score.map((r) => r.map((v) => max - v)); // minimise cost = maximise score
  const INF = Number.POSITIVE_INFINITY;
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(n + 1).fill(0);
  const p = new Array<number>(n + 1).fill(0); // p[column] = row matched to it (1-based, 0 = none)
  const way = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(n + 1).fill(INF);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0]!;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assign = new Array<number>(n).fill(-1);
  for (let j = 1; j <= n; j++) if (p[j]! > 0) assign[p[j]! - 1] = j - 1;
  return assign;
}
