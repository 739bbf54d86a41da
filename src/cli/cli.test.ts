import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeNpy } from './npy';

const run = promisify(execFile);
const tsx = join('node_modules', '.bin', 'tsx');

async function cli(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(tsx, [join('src', 'cli', script), ...args], { timeout: 120_000, env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gengraph-cli-'));

  it('trains the tiny VAE and writes metrics, a summary and a checkpoint; sample reads it back', async () => {
    const out = join(dir, 'vae');
    const r = await cli('train.ts', [
      'templates/vae.json',
      '--preset',
      'tiny',
      '--steps',
      '12',
      '--log-every',
      '4',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([4, 8, 12]);
    // Not a terminal: plain progress lines, the first read and the last (a line a minute between them).
    const progress = r.stderr.split('\n').filter((l) => l.startsWith('step '));
    expect(progress[0]).toMatch(/^step 4\/12 [\d.]+ it\/s rec=\S+ kl=\S+ eta \d+ s$/);
    expect(progress.at(-1)).toMatch(/^step 12\/12 [\d.]+ it\/s rec=\S+ kl=\S+$/);
    for (const l of lines) {
      expect(Object.keys(l.losses).sort()).toEqual(['kl', 'rec']);
      expect(l.stepsPerSec).toBeGreaterThan(0);
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'finished', iterations: 12, backend: 'wasm', seed: 1 });
    // By default the wasm backend runs one thread per core (TF.js alone would run one in Node).
    expect(summary.threads).toBe(Math.min(8, cpus().length));

    const npy = join(dir, 'samples.npy');
    const s = await cli('sample.ts', [
      'templates/vae.json',
      '--preset',
      'tiny',
      '--checkpoint',
      join(out, 'checkpoint'),
      '--n',
      '7',
      '--out',
      npy,
    ]);
    expect(s.code, s.stderr).toBe(0);
    const { data, shape } = decodeNpy(new Uint8Array(readFileSync(npy)));
    expect(shape).toEqual([7, 28, 28]);
    expect(Math.min(...data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...data)).toBeLessThanOrEqual(1);
  });

  it('refuses a checkpoint whose shapes differ from the graph, naming the variable', async () => {
    const out = join(dir, 'vae');
    const s = await cli('sample.ts', [
      'templates/vae.json',
      '--checkpoint',
      join(out, 'checkpoint'),
      '--n',
      '2',
      '--out',
      join(dir, 'x.npy'),
    ]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/'enc\/trunk\/1\/kernel' is \[784,400\] here but \[784,32\] in the checkpoint/);
    expect(s.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('stops a diverging run and names the loss node and the step', async () => {
    const doc = JSON.parse(readFileSync('templates/vae.json', 'utf8'));
    doc.training.phases[0].optimizer = { type: 'sgd', lr: 10 };
    const file = join(dir, 'diverge.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = await cli('train.ts', [
      file,
      '--preset',
      'tiny',
      '--log-every',
      '1',
      '--out',
      join(dir, 'div'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /the loss '(kl|rec)' \(.*\) became (NaN|-?Infinity) at step \d+; training stopped/,
    );
    expect(JSON.parse(readFileSync(join(dir, 'div', 'summary.json'), 'utf8')).status).toBe('diverged');
  });

  it('trains on WebGPU in Node (Dawn, here on Chromium’s SwiftShader) with the same metrics', async () => {
    const out = join(dir, 'webgpu');
    const env = {
      ...process.env,
      VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json',
      LD_LIBRARY_PATH: '/usr/lib/chromium',
    };
    const r = await cli(
      'train.ts',
      ['vae', '--preset', 'tiny', '--steps', '2', '--log-every', '1', '--backend', 'webgpu', '--out', out],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({
      backend: 'webgpu',
      status: 'finished',
    });
  });

  it('a run stopped at a saved checkpoint resumes to the losses of the run that never stopped', async () => {
    const common = ['gan-2d', '--preset', 'tiny', '--log-every', '2', '--threads', '1'];
    const whole = join(dir, 'whole');
    const part = join(dir, 'part');
    expect((await cli('train.ts', [...common, '--steps', '12', '--out', whole])).code).toBe(0);
    // A run of 10 saving every 4; then resumed from another run's checkpoint at 8, up to 12.
    const r1 = await cli('train.ts', [...common, '--steps', '10', '--save-every', '4', '--out', part]);
    expect(r1.code, r1.stderr).toBe(0);
    // Saving swapped the checkpoint in place each time: no half-written copy is left behind.
    expect(existsSync(join(part, 'checkpoint.partial'))).toBe(false);
    expect(JSON.parse(readFileSync(join(part, 'checkpoint', 'checkpoint.json'), 'utf8')).iteration).toBe(10);
    const early = join(dir, 'early');
    expect((await cli('train.ts', [...common, '--steps', '8', '--out', early])).code).toBe(0);
    const r2 = await cli('train.ts', [
      ...common,
      '--steps',
      '12',
      '--resume',
      join(early, 'checkpoint'),
      '--out',
      part,
    ]);
    expect(r2.code, r2.stderr).toBe(0);
    const metrics = (d: string) =>
      readFileSync(join(d, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { step: number; losses: Record<string, number> });
    const a = metrics(whole);
    const b = metrics(part);
    // part's own log went to 10; resuming from 8 dropped 10 and logged it again.
    expect(b.map((l) => l.step)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(b.slice(4).map((l) => l.losses)).toEqual(a.slice(4).map((l) => l.losses));
    expect(JSON.parse(readFileSync(join(part, 'summary.json'), 'utf8'))).toMatchObject({
      iterations: 12,
      resumedFrom: 8,
    });
    const again = await cli('train.ts', [...common, '--steps', '12', '--resume', join(whole, 'checkpoint')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/the checkpoint is at iteration 12 already/);
  }, 180_000);

  it('samples one InfoGAN category (codes.npy), CycleGAN translations and a DDPM trajectory', async () => {
    const train = async (id: string) => {
      const out = join(dir, id);
      const r = await cli('train.ts', [
        id,
        '--preset',
        'tiny',
        '--steps',
        '2',
        '--threads',
        '1',
        '--out',
        out,
      ]);
      expect(r.code, r.stderr).toBe(0);
      return join(out, 'checkpoint');
    };
    const sample = (id: string, ckpt: string, file: string, extra: string[]) =>
      cli('sample.ts', [id, '--preset', 'tiny', '--checkpoint', ckpt, '--out', join(dir, file), ...extra]);
    const npy = (file: string) => decodeNpy(new Uint8Array(readFileSync(join(dir, file))));

    const info = await train('infogan');
    const s = await sample('infogan', info, 'info/s.npy', ['--n', '6', '--code', '3']);
    expect(s.code, s.stderr).toBe(0);
    expect(npy('info/s.npy').shape).toEqual([6, 28, 28]);
    expect(npy('info/codes.npy')).toEqual({ shape: [6], data: new Float32Array(6).fill(3) });
    const bad = await sample('infogan', info, 'info/t.npy', ['--n', '6', '--code', '10']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--code 10: node '.*' has categories 0 to 9/);

    const cyc = await train('cyclegan');
    const t = await sample('cyclegan', cyc, 't.npy', ['--n', '5', '--translate', 'AtoB', '--from', 'test']);
    expect(t.code, t.stderr).toBe(0);
    for (const f of ['t.npy', 't.inputs.npy', 't.cycles.npy']) {
      const { shape, data } = npy(f);
      expect(shape, f).toEqual([5, 28, 28]);
      expect(Math.min(...data)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...data)).toBeLessThanOrEqual(1);
    }
    // The inputs are real test digits of domain A: mostly background, unlike noise.
    const inputs = npy('t.inputs.npy').data;
    expect(inputs.filter((v) => v < 0.05).length / inputs.length).toBeGreaterThan(0.5);

    const ddpm = await train('ddpm-2d');
    const d = await sample('ddpm-2d', ddpm, 'd.npy', ['--n', '9', '--trajectory']);
    expect(d.code, d.stderr).toBe(0);
    expect(npy('d.npy').shape).toEqual([9, 2]);
    const traj = npy('d.trajectory.npy');
    expect(traj.shape).toEqual([11, 9, 2]);
    // The last snapshot is the sample itself.
    expect(Array.from(traj.data.subarray(10 * 18))).toEqual(Array.from(npy('d.npy').data));
  }, 180_000);

  it('answers bad arguments with the usage text and exit code 2, never a stack trace', async () => {
    for (const args of [
      [],
      ['templates/vae.json', '--steps', 'many'],
      ['no-such-file.json'],
      ['templates/vae.json', '--backend', 'tpu'],
      ['templates/vae.json', '--threads', '0'],
      ['templates/vae.json', '--threads', '9'],
    ]) {
      const r = await cli('train.ts', args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/usage: npm run train/);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    const s = await cli('sample.ts', ['templates/vae.json', '--n', '3']);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--checkpoint, --n and --out are required/);
  });
});

describe('.npy files', () => {
  it('round-trip through the encoder and decoder with their shape', async () => {
    const { encodeNpy } = await import('./npy');
    const data = Float32Array.from({ length: 24 }, (_, i) => i / 3);
    const back = decodeNpy(encodeNpy(data, [2, 3, 4]));
    expect(back.shape).toEqual([2, 3, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    expect(decodeNpy(encodeNpy(data, [24])).shape).toEqual([24]);
  });
});
