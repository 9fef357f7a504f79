#!/usr/bin/env node
// Checks the converted NanoDet ONNX model against the TFJS original.
//
//   node verify-nanodet.mjs [MODELS_DIR] [--write-reference] [--no-tfjs]
//
// 1. structure: the ONNX file decodes and re-encodes byte for byte with onnx-proto, is topologically
//    sound, has the expected input/outputs and only the expected ops, and matches models.json's sha256;
// 2. numbers: the same synthetic image (formula below, reproducible in any language) runs through the
//    TFJS graph model (pure-JS @tensorflow/tfjs-core + tfjs-backend-cpu, a few seconds) and through the
//    ONNX model with onnxruntime-node (CPU binary shipped inside the npm package; nothing is downloaded),
//    and every output value must agree within TOLERANCE;
// 3. reference: --write-reference writes reference/nanodet-reference.json from the TFJS run (head,
//    strided samples and sums of every output, plus decoded top candidates) for the Java test; without
//    it the ONNX run is also checked against that file.
// Exit code 0 = all checks passed; 1 = a check failed.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const REFERENCE = path.join(HERE, 'reference', 'nanodet-reference.json');
const TOLERANCE = 1e-4; // absolute, per value; measured agreement is ~6e-6 on logits, ~5e-7 on scores
const SIZE = 416;
const MEAN_BGR = [103.53, 116.28, 123.675];
const STD_BGR = [57.375, 57.12, 58.395];
const STRIDES = [8, 16, 32];
const REG_MAX = 10;
const ALLOWED_OPS = new Set(['Conv', 'LeakyRelu', 'Pad', 'MaxPool', 'Concat', 'Resize', 'Add', 'Split', 'Sigmoid', 'Reshape', 'Transpose']);

const log = (...a) => console.log('[verify-nanodet]', ...a);
let failures = 0;
const check = (ok, msg) => {
  if (ok) log(`ok   ${msg}`);
  else {
    failures++;
    log(`FAIL ${msg}`);
  }
};

// ---------------------------------------------------------------------------------------------
// The synthetic test image: integer formulas, 8-bit RGB, W = H = 416, x = column, y = row.
//   R = (5x + 3y) mod 256;  G = floor(x*y / 64) mod 256;  B = 228 if (floor(x/8) + floor(y/8)) is odd else 28
// Tensor [1,3,416,416] NCHW, channel 0 = B, 1 = G, 2 = R; value = (float)((p - MEAN[c]) / STD[c]) computed
// in double precision then rounded to float32 (Java: (float) ((p - mean[c]) / std[c]) with double mean/std).
export const INPUT_DESCRIPTION = {
  size: [SIZE, SIZE],
  pixel: 'x = column 0..415, y = row 0..415; R = (5*x + 3*y) % 256; G = ((x*y) / 64) % 256 (integer division); B = ((x/8 + y/8) % 2 == 1) ? 228 : 28 (integer division)',
  tensor: 'float32 [1,3,416,416] NCHW; channel 0 = B, 1 = G, 2 = R; value = (float) ((p - mean[c]) / std[c]) computed in double',
  mean: MEAN_BGR,
  std: STD_BGR,
};

export function syntheticInput() {
  const plane = SIZE * SIZE;
  const t = new Float32Array(3 * plane);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const r = (5 * x + 3 * y) % 256;
      const g = Math.floor((x * y) / 64) % 256;
      const b = (Math.floor(x / 8) + Math.floor(y / 8)) % 2 === 1 ? 228 : 28;
      const i = y * SIZE + x;
      t[i] = (b - MEAN_BGR[0]) / STD_BGR[0];
      t[plane + i] = (g - MEAN_BGR[1]) / STD_BGR[1];
      t[2 * plane + i] = (r - MEAN_BGR[2]) / STD_BGR[2];
    }
  }
  return t;
}

// ---------------------------------------------------------------------------------------------

function structural(bytes, entry) {
  const { onnx } = require('onnx-proto');
  const m = onnx.ModelProto.decode(bytes);
  const again = Buffer.from(onnx.ModelProto.encode(m).finish());
  check(again.equals(bytes), `onnx-proto decode/encode round trip is byte-identical (${bytes.length} bytes)`);
  check(onnx.ModelProto.verify(m) === null, 'onnx-proto verify() accepts the model');
  const g = m.graph;
  const opset = m.opsetImport.find((o) => !o.domain);
  check(Number(m.irVersion) === 7 && opset && Number(opset.version) === 13, `IR version ${m.irVersion}, opset ${opset && opset.version} (want 7 / 13)`);
  const known = new Set([...g.initializer.map((i) => i.name), ...g.input.map((i) => i.name)]);
  const produced = new Set();
  let sound = true;
  for (const n of g.node) {
    for (const i of n.input) if (i && !known.has(i)) { sound = false; log(`  node ${n.name} reads ${i} before it exists`); }
    for (const o of n.output) {
      if (known.has(o) || produced.has(o)) { sound = false; log(`  ${o} produced twice`); }
      produced.add(o);
      known.add(o);
    }
  }
  check(sound, `graph is topologically sorted and single-assignment (${g.node.length} nodes, ${g.initializer.length} initializers)`);
  const used = new Set(g.node.flatMap((n) => n.input));
  check(g.initializer.every((i) => used.has(i.name)), 'no unused initializers');
  const dt = { 1: 4, 7: 8 };
  check(g.initializer.every((i) => i.rawData.length === i.dims.reduce((a, b) => a * Number(b), 1) * dt[i.dataType]), 'initializer raw data sizes match their dims');
  const ops = [...new Set(g.node.map((n) => n.opType))];
  check(ops.every((o) => ALLOWED_OPS.has(o)), `ops used: ${ops.sort().join(', ')}`);
  const dims = (v) => v.type.tensorType.shape.dim.map((d) => Number(d.dimValue));
  check(g.input.length === 1 && g.input[0].name === 'input' && JSON.stringify(dims(g.input[0])) === JSON.stringify([1, 3, SIZE, SIZE]), `input ${g.input.map((i) => `${i.name}${JSON.stringify(dims(i))}`)}`);
  const want = {};
  for (const s of STRIDES) {
    const cells = (SIZE / s) ** 2;
    want[`cls_pred_stride_${s}`] = [1, cells, 80];
    want[`dis_pred_stride_${s}`] = [1, cells, 4 * (REG_MAX + 1)];
  }
  const got = Object.fromEntries(g.output.map((o) => [o.name, dims(o)]));
  check(JSON.stringify(Object.keys(got).sort()) === JSON.stringify(Object.keys(want).sort()) && Object.keys(want).every((k) => JSON.stringify(got[k]) === JSON.stringify(want[k])) && Object.keys(got).every((k) => produced.has(k)), `outputs ${Object.entries(got).map(([k, v]) => `${k}${JSON.stringify(v)}`).join(' ')}`);
  if (entry) check(JSON.stringify(entry.outputs.map((o) => o.name).sort()) === JSON.stringify(Object.keys(want).sort()), 'models.json lists the same outputs');
}

async function runTfjs(modelJson, input) {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const tfconv = await import('@tensorflow/tfjs-converter');
  tf.env().set('IS_NODE', false); // silences the "install tfjs-node" banner; pure-JS CPU backend either way
  await tf.setBackend('cpu');
  const mj = JSON.parse(await readFile(modelJson, 'utf8'));
  const shards = await Promise.all(mj.weightsManifest.flatMap((gr) => gr.paths).map((p) => readFile(path.join(path.dirname(modelJson), p))));
  const wd = Buffer.concat(shards);
  const handler = {
    load: async () => ({
      modelTopology: mj.modelTopology,
      format: mj.format,
      generatedBy: mj.generatedBy,
      convertedBy: mj.convertedBy,
      signature: mj.signature,
      weightSpecs: mj.weightsManifest.flatMap((gr) => gr.weights),
      weightData: wd.buffer.slice(wd.byteOffset, wd.byteOffset + wd.byteLength),
    }),
  };
  const model = await tfconv.loadGraphModel(handler);
  const x = tf.tensor(input, [1, 3, SIZE, SIZE], 'float32');
  const t = Date.now();
  const names = model.outputs.map((o) => o.name);
  const outs = model.execute(x, names);
  const result = {};
  names.forEach((n, i) => { result[n.replace(/:0$/, '')] = { shape: outs[i].shape, data: outs[i].dataSync() }; });
  return { result, ms: Date.now() - t };
}

async function runOrt(file, input) {
  let ort;
  try {
    ort = require('onnxruntime-node');
  } catch (e) {
    log(`onnxruntime-node not loadable (${e.message.split('\n')[0]}); numeric ONNX check skipped`);
    return null;
  }
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const feeds = { input: new ort.Tensor('float32', input, [1, 3, SIZE, SIZE]) };
  await session.run(feeds); // warm-up
  const times = [];
  let out;
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    out = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const result = {};
  for (const [k, v] of Object.entries(out)) result[k] = { shape: v.dims.map(Number), data: v.data };
  return { result, ms: Math.min(...times), version: require('onnxruntime-node/package.json').version };
}

function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const SAMPLES = 48;
const sampleIndices = (n) => [...Array(SAMPLES).keys()].map((k) => Math.floor(((k + 0.5) * n) / SAMPLES));

function summarise(data) {
  let sum = 0;
  let sumAbs = 0;
  let min = Infinity;
  let max = -Infinity;
  let argmax = -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    sum += v;
    sumAbs += Math.abs(v);
    if (v < min) min = v;
    if (v > max) { max = v; argmax = i; }
  }
  return { sum, sumAbs, min, max, argmax };
}

// reference decoder (same as the Java side should implement), in 416x416 input pixels
function decodeTop(outputs, k) {
  const cands = [];
  for (const s of STRIDES) {
    const grid = SIZE / s;
    const cls = outputs[`cls_pred_stride_${s}`].data;
    const dis = outputs[`dis_pred_stride_${s}`].data;
    for (let cell = 0; cell < grid * grid; cell++) {
      let best = 0;
      for (let c = 1; c < 80; c++) if (cls[cell * 80 + c] > cls[cell * 80 + best]) best = c;
      cands.push({ stride: s, cell, cls: best, score: cls[cell * 80 + best], dis });
    }
  }
  cands.sort((a, b) => b.score - a.score);
  return cands.slice(0, k).map(({ stride, cell, cls, score, dis }) => {
    const grid = SIZE / stride;
    const row = Math.floor(cell / grid);
    const col = cell % grid;
    const cx = (col + 0.5) * stride;
    const cy = (row + 0.5) * stride;
    const d = [0, 1, 2, 3].map((side) => {
      const off = cell * 4 * (REG_MAX + 1) + side * (REG_MAX + 1);
      let mx = -Infinity;
      for (let j = 0; j <= REG_MAX; j++) mx = Math.max(mx, dis[off + j]);
      let den = 0;
      let num = 0;
      for (let j = 0; j <= REG_MAX; j++) {
        const e = Math.exp(dis[off + j] - mx);
        den += e;
        num += j * e;
      }
      return (num / den) * stride;
    });
    const clamp = (v) => Math.min(Math.max(v, 0), SIZE);
    return { stride, row, col, classIndex: cls, score, distances: d, box: [clamp(cx - d[0]), clamp(cy - d[1]), clamp(cx + d[2]), clamp(cy + d[3])] };
  });
}

async function main() {
  const args = process.argv.slice(2);
  const writeRef = args.includes('--write-reference');
  const noTfjs = args.includes('--no-tfjs');
  const modelsDir = path.resolve(args.filter((a) => !a.startsWith('--'))[0] || path.join(HERE, '..', 'target', 'models'));
  const manifest = JSON.parse(await readFile(path.join(modelsDir, 'models.json'), 'utf8'));
  const entry = manifest.models.find((m) => m.id === 'nanodet');
  if (!entry) throw new Error('models.json has no nanodet entry');
  const onnxFile = path.join(modelsDir, entry.file);
  const bytes = await readFile(onnxFile);
  const sha = createHash('sha256').update(bytes).digest('hex');
  check(sha === entry.sha256, `${entry.file} sha256 ${sha} matches models.json`);
  structural(bytes, entry);

  const input = syntheticInput();
  const tfjsSource = path.join(HERE, 'node_modules', ...entry.package.split('/'), Object.keys(entry.source.sha256)[0]);
  const outputMap = entry.conversion.outputMap; // onnx name -> tfjs name

  let tfjs = null;
  if (!noTfjs) {
    tfjs = await runTfjs(tfjsSource, input);
    log(`TFJS (pure JS, cpu backend) ran in ${tfjs.ms} ms`);
  }
  const ortRun = await runOrt(onnxFile, input);
  if (ortRun) log(`onnxruntime-node ${ortRun.version} ran in ${ortRun.ms.toFixed(1)} ms (best of 5, 2 threads)`);

  if (tfjs && ortRun) {
    for (const [onnxName, tfName] of Object.entries(outputMap)) {
      const a = tfjs.result[tfName];
      const b = ortRun.result[onnxName];
      const d = maxAbsDiff(a.data, b.data);
      check(JSON.stringify(a.shape) === JSON.stringify(b.shape) && d <= TOLERANCE, `${onnxName} (tfjs ${tfName}) ${JSON.stringify(b.shape)}: max |onnx - tfjs| = ${d.toExponential(2)}`);
    }
  }

  if (writeRef) {
    if (!tfjs) throw new Error('--write-reference needs the TFJS run (drop --no-tfjs)');
    const named = Object.fromEntries(Object.entries(outputMap).map(([o, t]) => [o, tfjs.result[t]]));
    const ref = {
      about: 'NanoDet reference outputs from the original TFJS model (pure-JS tfjs, cpu backend) for a synthetic image; written by ai-vision-adapter/models/verify-nanodet.mjs --write-reference. Compare an ONNX Runtime run of nanodet.onnx against it.',
      model: {
        source: entry.source.package,
        sourceSha256: entry.source.sha256,
        onnxFile: entry.file,
        onnxSha256: entry.sha256,
        tfjsVersion: require('@tensorflow/tfjs-core/package.json').version,
      },
      input: INPUT_DESCRIPTION,
      inputChecks: { sum: input.reduce((s, v) => s + v, 0), head: Array.from(input.slice(0, 8)), at: Object.fromEntries([1000, 173056 + 5000, 2 * 173056 + 90000].map((i) => [i, input[i]])) },
      tolerance: {
        absolute: TOLERANCE,
        note: 'per value; measured max |onnxruntime - tfjs| here: about 6e-6 on dis_pred logits, 5e-7 on cls_pred scores. sum/sumAbs: relative 1e-4',
      },
      samples: `head = first 16 values; samples[k] = value at flat index floor((k + 0.5) * n / ${SAMPLES}), k = 0..${SAMPLES - 1}, n = number of values; flat index = cell * channels + channel`,
      outputs: Object.fromEntries(Object.entries(named).map(([name, { shape, data }]) => [name, {
        shape,
        ...summarise(data),
        head: Array.from(data.slice(0, 16)),
        samples: sampleIndices(data.length).map((i) => [i, data[i]]),
      }])),
      topCandidates: {
        note: 'the 5 cells with the highest class score over all strides, decoded as in README.md (no threshold, no NMS): centre ((col+0.5)*S, (row+0.5)*S), distances = S * expectation of softmax over 11 bins, box = [x1, y1, x2, y2] clamped to [0, 416]',
        candidates: decodeTop(named, 5),
      },
    };
    await mkdir(path.dirname(REFERENCE), { recursive: true });
    await writeFile(REFERENCE, `${JSON.stringify(ref, null, 2)}\n`);
    log(`wrote ${path.relative(process.cwd(), REFERENCE)}`);
  } else if (existsSync(REFERENCE)) {
    const ref = JSON.parse(await readFile(REFERENCE, 'utf8'));
    check(JSON.stringify(ref.model.sourceSha256) === JSON.stringify(entry.source.sha256), 'reference fixture was made from the same TFJS model files');
    const actual = ortRun ? ortRun.result : tfjs && Object.fromEntries(Object.entries(outputMap).map(([o, t]) => [o, tfjs.result[t]]));
    if (actual) {
      const who = ortRun ? 'onnx' : 'tfjs';
      for (const [name, r] of Object.entries(ref.outputs)) {
        const data = actual[name].data;
        let d = 0;
        r.head.forEach((v, i) => { d = Math.max(d, Math.abs(v - data[i])); });
        r.samples.forEach(([i, v]) => { d = Math.max(d, Math.abs(v - data[i])); });
        const s = summarise(data);
        const sumOk = Math.abs(s.sumAbs - r.sumAbs) <= 1e-4 * Math.abs(r.sumAbs);
        check(d <= TOLERANCE && sumOk, `${who} ${name} vs reference: max diff ${d.toExponential(2)} over ${r.head.length + r.samples.length} values, sumAbs ${s.sumAbs.toFixed(4)} vs ${r.sumAbs.toFixed(4)}`);
      }
      const top = decodeTop(actual, 5);
      const boxOk = top.every((c, i) => c.classIndex === ref.topCandidates.candidates[i].classIndex && c.box.every((v, j) => Math.abs(v - ref.topCandidates.candidates[i].box[j]) < 1e-2));
      check(boxOk, `${who} decoded top-5 candidates match the reference (class and box within 0.01 px)`);
    }
  } else {
    log(`no reference fixture at ${REFERENCE} (make one with --write-reference)`);
  }

  if (failures) {
    log(`${failures} check(s) FAILED`);
    process.exit(1);
  }
  log('all checks passed');
}

main().catch((e) => {
  console.error(`[verify-nanodet] FAILED: ${e.stack || e}`);
  process.exit(1);
});
