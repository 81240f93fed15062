// The UrbanScore job done the way a careful Node.js user would: fetch tiles concurrently from an XYZ server, decode
// and resize with sharp (libvips, libjpeg-turbo), fill NCHW BGR 0-255 tensors (Custom Vision preprocessing), score
// fixed-size batches with onnxruntime-node while the next batch is being fetched and decoded, keep every score.
// Usage: node score.mjs --template http://127.0.0.1:PORT/tiles/{z}/{x}/{y}.jpg --model model.onnx
//                       [--tiles 2000] [--batch 16] [--concurrency 32] [--threads <cores>] [--output probs] [--warmup 256]
// Prints one JSON line: tiles/s over the whole run (first tile requested to last score) after a warm-up run of
// --warmup tiles (0: none, for whole-process timing).
import os from 'node:os';
import ort from 'onnxruntime-node';
import sharp from 'sharp';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const template = args.template;
const tiles = Number(args.tiles ?? 2000);
const batchSize = Number(args.batch ?? 16);
const concurrency = Number(args.concurrency ?? 32);
const cores = os.availableParallelism();
const threads = Number(args.threads ?? cores);
const outputName = args.output ?? 'probs';
const size = 224;
const plane = size * size;

// libvips and ORT share the cores the same way UrbanScore's decode workers and intra-op threads do.
sharp.concurrency(1);            // one libvips thread per image; images are decoded in parallel instead
sharp.cache(false);              // every tile is new in a real run
const session = await ort.InferenceSession.create(args.model, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});
const inputName = session.inputNames[0];

// Same tiles as urbanscore bench: zoom 16, rows of 256 columns from (20000, 30000).
const url = (i) => template.replace('{z}', '16').replace('{x}', String(20000 + (i % 256))).replace('{y}', String(30000 + Math.floor(i / 256)));

async function decodeInto(bytes, target, offset) {
  // Centre square crop is a no-op for square tiles; bilinear resize like Custom Vision.
  const { data, info } = await sharp(bytes).removeAlpha().resize(size, size, { kernel: 'linear', fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected RGB, got ${info.channels} channels`);
  for (let p = 0, i = 0; p < plane; p++, i += 3) {
    target[offset + p] = data[i + 2];             // B
    target[offset + plane + p] = data[i + 1];     // G
    target[offset + 2 * plane + p] = data[i];     // R
  }
}

async function run(count) {
  const scores = new Float32Array(count);
  let next = 0;
  let current = { data: new Float32Array(batchSize * 3 * plane), first: 0, filled: 0, reserved: 0 };
  const ready = [];
  let wake = null;
  let decoding = 0;
  const started = performance.now();

  const infer = (async () => {
    let done = 0;
    while (done < count) {
      if (ready.length === 0) { await new Promise((r) => { wake = r; }); wake = null; continue; }
      const batch = ready.shift();
      const n = batch.filled;
      const input = new ort.Tensor('float32', batch.data.subarray(0, n * 3 * plane), [n, 3, size, size]);
      const out = await session.run({ [inputName]: input }, [outputName]);
      const probs = out[outputName].data;
      const classes = probs.length / n;
      for (let k = 0; k < n; k++) scores[batch.tiles[k]] = probs[k * classes];
      done += n;
    }
  })();

  async function worker() {
    while (next < count) {
      const i = next++;
      const response = await fetch(url(i));
      if (!response.ok) throw new Error(`HTTP ${response.status} for ${url(i)}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      const batch = current;
      const slot = batch.reserved++;
      batch.tiles ??= [];
      batch.tiles[slot] = i;
      if (batch.reserved === batchSize || next >= count) {
        current = { data: new Float32Array(batchSize * 3 * plane), filled: 0, reserved: 0 };
      }
      decoding++;
      await decodeInto(bytes, batch.data, slot * 3 * plane);
      decoding--;
      batch.filled++;
      if (batch.filled === batch.reserved && (batch.reserved === batchSize || next >= count) && batch !== current) {
        ready.push(batch);
        wake?.();
      }
    }
  }

  await Promise.all([...Array(concurrency)].map(worker));
  if (current.reserved > 0 && current.filled === current.reserved) { ready.push(current); wake?.(); }
  await infer;
  const seconds = (performance.now() - started) / 1000;
  return { seconds, scores };
}

const warmup = Number(args.warmup ?? 256);
if (warmup > 0) await run(Math.min(tiles, warmup)); // warm-up: JIT, sessions, connections
const { seconds, scores } = await run(tiles);
const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
console.log(JSON.stringify({
  peer: 'node', node: process.version, onnxruntimeNode: ort.env.versions?.node ?? 'unknown', sharp: sharp.versions.sharp, libvips: sharp.versions.vips,
  cores, threads, batch: batchSize, concurrency, tiles, seconds: Number(seconds.toFixed(3)), tilesPerSecond: Number((tiles / seconds).toFixed(2)), meanScore: Number(mean.toFixed(4)),
}));
