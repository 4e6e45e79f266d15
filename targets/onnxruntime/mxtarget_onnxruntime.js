#!/usr/bin/env node
// mxtarget_onnxruntime.js - ONNX Runtime's CPU Cast kernels (npm package onnxruntime-node) as
// an mxconform process target (harness/PROTOCOL.md).
//
//   sh targets/onnxruntime/install.sh            (npm install --ignore-scripts, project-local)
//   mxconform run --target cmd:'node targets/onnxruntime/mxtarget_onnxruntime.js'
//   environment: MXC_ORT_DIR = the folder whose node_modules holds onnxruntime-node
//                (default: targets/onnxruntime/.deps, where install.sh puts it)
//
// The JS binding refuses FP8/FP4/E8M0/BF16 graph inputs and outputs, so every request is a
// small ONNX graph built here (a hand-written protobuf encoder, no onnx package):
//   decode   an initializer holding the codes as raw FP8 data -> Cast(to=DOUBLE) -> output
//   cvt      X (FLOAT / FLOAT16 / DOUBLE input; bf16: FLOAT then Cast(to=BFLOAT16), exact)
//            -> Cast(to=F8, saturate=S[, round_mode=M]) -> Cast(to=BACK) -> output, and the
//            BACK bits back to the code through the table that the same Cast of every code
//            gives (built at start-up). BACK is the first of FLOAT16, FLOAT, DOUBLE that
//            tells all 256 codes apart (E5M2 -> FLOAT drops NaN payloads; -> FLOAT16 keeps
//            them). Where no BACK tells two codes apart, such a result is answered `?C1/C2/..`
//            with the codes it may be (not observable: a statement about this target, not
//            about ONNX Runtime; `??` in a cvtrange run, whose inputs the harness then asks
//            again in cvt lines) with that reason on stderr once: never guessed, never `!`
//            (that would say ORT refused the value, and it did not).
// Destinations: e4m3 -> FLOAT8E4M3FN, e5m2 -> FLOAT8E5M2, e4m3fnuz -> FLOAT8E4M3FNUZ, e5m2fnuz ->
// FLOAT8E5M2FNUZ, e8m0 -> FLOAT8E8M0 (opset 24: round_mode up -> rup, down -> rdn, nearest ->
// rna, as measured; see ROUND_E8M0). ONNX has no E4M3B11FNUZ, IEEE-like E4M3 or E3M4 type.
// sat -> saturate=1, ovf -> saturate=0. Rounding: the FP8 casts round to nearest even
// (the ONNX spec); only `rne` is claimed for e4m3/e5m2. FLOAT4E2M1 has no CPU kernel:
// e2m1 is unsupported, so are FP6 and INT8 (no such ONNX types), quantize/dequantize/pack/dot.
// `cvtrange` (sweeps) runs one graph on the whole range.
'use strict';
const path = require('path');
const fs = require('fs');
const readline = require('readline');

const here = __dirname;
const ortDir = process.env.MXC_ORT_DIR || path.join(here, '.deps');
let ort;
try {
  ort = require(path.join(ortDir, 'node_modules', 'onnxruntime-node'));
} catch (e) {
  process.stderr.write(`onnxruntime-node not importable from ${ortDir} (run sh targets/onnxruntime/install.sh): ${String(e.message).split('\n')[0]}\n`);
  process.exit(3);
}

// ---- a minimal protobuf writer for the few ONNX messages used --------------------------
function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}
const key = (field, wire) => varint((field << 3) | wire);
const fInt = (field, v) => Buffer.concat([key(field, 0), varint(v)]);
const fBytes = (field, b) => { b = Buffer.isBuffer(b) ? b : Buffer.from(b); return Buffer.concat([key(field, 2), varint(b.length), b]); };
const msg = (...parts) => Buffer.concat(parts);

const T = { FLOAT: 1, UINT8: 2, FLOAT16: 10, DOUBLE: 11, BFLOAT16: 16, F8E4M3FN: 17, F8E4M3FNUZ: 18, F8E5M2: 19, F8E5M2FNUZ: 20,
  F4E2M1: 23, F8E8M0: 24 };
const ATTR_INT = 2, ATTR_STRING = 3;
const attrInt = (name, v) => fBytes(5, msg(fBytes(1, name), fInt(3, v), fInt(20, ATTR_INT)));
const attrStr = (name, s) => fBytes(5, msg(fBytes(1, name), fBytes(4, s), fInt(20, ATTR_STRING)));
const node = (op, ins, outs, attrs) => fBytes(1, msg(...ins.map((i) => fBytes(1, i)), ...outs.map((o) => fBytes(2, o)), fBytes(4, op), ...attrs));
const valueInfo = (field, name, elem) => fBytes(field, msg(fBytes(1, name), fBytes(2, fBytes(1, msg(fInt(1, elem), fBytes(2, fBytes(1, fBytes(2, 'N'))))))));
function model(nodes, inputs, outputs, inits) {
  const graph = msg(...nodes, fBytes(2, 'mxc'), ...inits.map((t) => fBytes(5, t)),
    ...inputs.map(([n, e]) => valueInfo(11, n, e)), ...outputs.map(([n, e]) => valueInfo(12, n, e)));
  return msg(fInt(1, 10), fBytes(7, graph), fBytes(8, msg(fBytes(1, ''), fInt(2, 24))));
}
const tensor = (name, elem, n, raw) => msg(fInt(1, n), fInt(2, elem), fBytes(8, name), fBytes(9, raw));

// ---- formats ----------------------------------------------------------------------------
const DST = { e4m3: T.F8E4M3FN, e5m2: T.F8E5M2, e8m0: T.F8E8M0, e4m3fnuz: T.F8E4M3FNUZ, e5m2fnuz: T.F8E5M2FNUZ };
const SRC = { f32: 'float32', f16: 'float16', f64: 'float64', bf16: 'bf16' };
// Measured (2.5, 3.0, 3.5, 1.5000001): 'up' is ceil, 'down' floor, 'nearest' nearest with ties
// away from zero (up; E8M0 has no negatives). float8.h's RoundMode comments say otherwise
// (reports/peers/README.md findings). No E8M0 mode rounds ties to even: rne is unsupported.
const ROUND_E8M0 = { rup: 'up', rdn: 'down', rna: 'nearest' };
const sessions = new Map();
async function session(keyText, build) {
  if (!sessions.has(keyText)) sessions.set(keyText, await ort.InferenceSession.create(build()));
  return sessions.get(keyText);
}

async function decodeF64(dst, codes) {
  const raw = Buffer.from(codes.map((c) => c & 0xff));
  const m = model([node('Cast', ['C'], ['Y'], [attrInt('to', T.DOUBLE)])], [], [['Y', T.DOUBLE]], [tensor('C', DST[dst], codes.length, raw)]);
  const s = await ort.InferenceSession.create(m);
  const r = await s.run({});
  return new BigUint64Array(r.Y.data.buffer, r.Y.data.byteOffset, codes.length);
}

// The back path of the round trip: Cast(FP8 -> BACK) with BACK the first of FLOAT16, FLOAT,
// DOUBLE whose results tell all 256 codes apart (E5M2 -> FLOAT16 keeps the NaN payloads
// that E5M2 -> FLOAT drops), and the table BACK bits -> code. Codes that no BACK tells apart
// are answered '?' (not observable) where met (stderr says so once), never guessed.
const BACKS = [[T.FLOAT16, 'float16', Uint16Array], [T.FLOAT, 'float32', Uint32Array], [T.DOUBLE, 'float64', BigUint64Array]];
const backTables = {};
async function backTable(dst) {
  if (backTables[dst]) return backTables[dst];
  const raw = Buffer.from([...Array(256).keys()]);
  let best = null;
  for (const [elem, , View] of BACKS) {
    const m = model([node('Cast', ['C'], ['Y'], [attrInt('to', elem)])], [], [['Y', elem]], [tensor('C', DST[dst], 256, raw)]);
    let bits;
    try {
      const r = await (await ort.InferenceSession.create(m)).run({});
      bits = new View(r.Y.data.buffer, r.Y.data.byteOffset, 256);
    } catch (e) {
      continue; // no kernel for this back type
    }
    const t = new Map();
    const sets = new Map(); // bits -> every code that gives them (where several do)
    let shared = 0;
    for (let c = 0; c < 256; c++) {
      const b = bits[c];
      if (t.has(b)) {
        if (t.get(b) !== null) { shared++; sets.set(b, [t.get(b)]); }
        sets.get(b).push(c);
        t.set(b, null);
      } else t.set(b, c);
    }
    if (!best || shared < best.shared) best = { elem, View, t, sets, shared };
    if (!shared) break;
  }
  if (best.elem === T.FLOAT16) { // a direct table for the 16-bit back type: sweeps run through it
    best.lut = new Int16Array(65536).fill(-2); // -2: no code's bits; -1: several codes' (not observable)
    for (const [b, c] of best.t) best.lut[b] = c === null ? -1 : c;
  }
  if (best.shared) process.stderr.write(`mxtarget_onnxruntime: ${dst}: ${best.shared} results stand for several codes each (answered '?', not observable, where met)\n`);
  backTables[dst] = best;
  return best;
}

// The input tensor: the bit patterns as the graph's input type. Plain loops into typed arrays,
// and no copy at all for a sweep's f32 range: TypedArray.from with a mapping function cost
// ~150 ns a value, nine tenths of a 2^32 sweep's time (ORT's three Casts take ~15 ns).
function feedTensor(src, bitsArr) {
  const n = bitsArr.length;
  if (src === 'f64') return new ort.Tensor('float64', new Float64Array(BigUint64Array.from(bitsArr, BigInt).buffer), [n]);
  if (src === 'f16') {
    const h = new Uint16Array(n);
    for (let i = 0; i < n; i++) h[i] = bitsArr[i];
    return new ort.Tensor('float16', h, [n]);
  }
  let w = bitsArr;
  if (src === 'bf16' || !(bitsArr instanceof Uint32Array)) {
    const shift = src === 'bf16' ? 16 : 0;
    w = new Uint32Array(n);
    for (let i = 0; i < n; i++) w[i] = bitsArr[i] << shift;
  }
  return new ort.Tensor('float32', new Float32Array(w.buffer, w.byteOffset, n), [n]);
}

async function convert(src, dst, rnd, ovf, bitsArr) {
  if (!(dst in DST) || !(src in SRC)) return null;
  if (dst === 'e8m0' ? !(rnd in ROUND_E8M0) : rnd !== 'rne') return null;
  const sat = ovf === 'sat' ? 1 : 0;
  const inElem = src === 'f16' ? T.FLOAT16 : src === 'f64' ? T.DOUBLE : T.FLOAT;
  const k = `${src} ${dst} ${rnd} ${ovf}`;
  const back = await backTable(dst);
  const s = await session(k, () => {
    const nodes = [];
    let x = 'X';
    if (src === 'bf16') { nodes.push(node('Cast', ['X'], ['B'], [attrInt('to', T.BFLOAT16)])); x = 'B'; }
    const attrs = [attrInt('to', DST[dst]), attrInt('saturate', sat)];
    if (dst === 'e8m0') attrs.push(attrStr('round_mode', ROUND_E8M0[rnd]));
    nodes.push(node('Cast', [x], ['Q'], attrs));
    nodes.push(node('Cast', ['Q'], ['Y'], [attrInt('to', back.elem)]));
    return model(nodes, [['X', inElem]], [['Y', back.elem]], []);
  });
  const n = bitsArr.length;
  const r = await s.run({ X: feedTensor(src, bitsArr) });
  const out = new back.View(r.Y.data.buffer, r.Y.data.byteOffset, n);
  const codes = new Int16Array(n); // -1: several codes give these bits (not observable)
  if (back.lut) {
    for (let i = 0; i < n; i++) codes[i] = back.lut[out[i]];
  } else {
    for (let i = 0; i < n; i++) {
      const c = back.t.get(out[i]);
      codes[i] = c === null ? -1 : c === undefined ? -2 : c;
    }
  }
  // bits that no code's round trip gives cannot come out of Cast(FP8 -> BACK): say so, never guess
  const bad = codes.indexOf(-2);
  if (bad >= 0) throw new Error(`back-cast bits ${out[bad].toString(16)} are no code's (input ${bitsArr[bad].toString(16)})`);
  codes.backBits = out; // for the codes a '?' result may be (cvt answers: '?7d/7e/7f')
  return codes;
}

// ---- the protocol ---------------------------------------------------------------------------
const WIDTH = { f32: 32, bf16: 16, f16: 16, f64: 64, e4m3: 8, e5m2: 8, e2m3: 6, e3m2: 6, e2m1: 4, int8: 8, e8m0: 8,
  e4m3fnuz: 8, e5m2fnuz: 8, e4m3b11fnuz: 8, e4m3ieee: 8, e3m4: 8 };
function hexv(t, w) {
  if (!/^[0-9a-fA-F]+$/.test(t)) throw new Error(`'${t}' is not hex`);
  const v = BigInt('0x' + t);
  if (v >> BigInt(w)) throw new Error(`'${t}' is not a ${w}-bit pattern`);
  return w > 32 ? v : Number(v);
}
// A code's two hex digits as one 16-bit word in memory order (endianness-free: built from
// bytes), and '??'; a sweep's answer is written with one store per code.
const HEX_PAIR = new Uint16Array(Uint8Array.from(Buffer.from([...Array(256).keys()].map((c) => c.toString(16).padStart(2, '0')).join(''), 'latin1')).buffer);
const HEX_UNKNOWN = new Uint16Array(Uint8Array.from(Buffer.from('??', 'latin1')).buffer)[0];
// '?C1/C2/..': not observable here, one of these codes (see backTable; PROTOCOL.md "Not observable"):
// the harness still counts a mismatch where the expected code is none of them
const field = (c, back, bits) => (c < 0 ? '?' + back.sets.get(bits).map((x) => x.toString(16)).join('/') : c.toString(16));

async function answer(line) {
  const f = line.split(' ');
  if (f[0] === 'decode' && f.length >= 3 && f[1] in DST) {
    const codes = f.slice(3).map((c) => hexv(c, 8));
    if (codes.length !== Number(f[2])) throw new Error('bad count');
    const v = await decodeF64(f[1], codes);
    return 'ok' + [...v].map((b) => ' ' + b.toString(16)).join('');
  }
  if (f[0] === 'cvt' && f.length >= 6) {
    const [src, dst, rnd, ovf] = f.slice(1, 5);
    if (!(src in SRC) || !(dst in DST) || rnd === 'sr') return 'unsupported';
    const vals = f.slice(6).map((v) => hexv(v, WIDTH[src]));
    if (vals.length !== Number(f[5])) throw new Error('bad count');
    const codes = await convert(src, dst, rnd, ovf, vals);
    if (codes === null) return 'unsupported';
    const back = await backTable(dst);
    return 'ok' + Array.from(codes, (c, i) => ' ' + field(c, back, codes.backBits[i])).join('');
  }
  if (f[0] === 'cvtrange' && f.length === 7) {
    const [src, dst, rnd, ovf] = f.slice(1, 5);
    if (!(src in SRC) || !(dst in DST) || src === 'f64') return 'unsupported';
    const first = hexv(f[5], WIDTH[src]), last = hexv(f[6], WIDTH[src]);
    if (last < first || last - first + 1 > (1 << 24)) throw new Error('bad range');
    const n = last - first + 1;
    const bits = new Uint32Array(n);
    for (let i = 0; i < n; i++) bits[i] = first + i;
    const codes = await convert(src, dst, rnd, ovf, bits);
    if (codes === null) return 'unsupported';
    const pairs = new Uint16Array(n); // two hex digits per code, one 16-bit store each
    for (let i = 0; i < n; i++) { const c = codes[i]; pairs[i] = c < 0 ? HEX_UNKNOWN : HEX_PAIR[c]; } // '??': not observable
    return 'ok ' + Buffer.from(pairs.buffer, pairs.byteOffset, 2 * n).toString('latin1');
  }
  return 'unsupported';
}

async function main() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let first = true;
  for await (const line of rl) {
    let reply;
    if (first) {
      first = false;
      if (line !== 'mxconform-protocol 1') { process.stdout.write("error expected 'mxconform-protocol 1'\n"); process.exit(2); }
      const v = JSON.parse(fs.readFileSync(path.join(ortDir, 'node_modules', 'onnxruntime-node', 'package.json'))).version;
      reply = `ok onnxruntime-node ${v} (CPU, Cast round trip)`;
    } else if (line === 'quit') {
      break;
    } else {
      try {
        reply = await answer(line);
      } catch (e) {
        // a session that cannot be created or run: the kernel does not exist for this type
        reply = /NOT_IMPLEMENTED|Could not find an implementation|not supported/i.test(String(e.message))
          ? 'unsupported' : 'error ' + String(e.message).split('\n')[0].replace(/\s+/g, ' ');
      }
    }
    process.stdout.write(reply + '\n');
  }
}
main();
