#!/usr/bin/env node
/**
 * GPU check: proves onnxruntime-node runs a model on the CUDA execution provider and measures scored
 * (person, product) pairs per second at large batch sizes. Plain Node (no build step), so it runs on a
 * GPU node that has only node, onnxruntime-node with its CUDA provider libraries (see docs/gpu.md)
 * and a model folder.
 *
 *   node scripts/gpu-check.js [--model models/recommendation/1] [--batches 1000,10000,100000,1000000]
 *                             [--seconds 2] [--cpu] [--out result.json]
 *
 * Proof that CUDA is in use, three ways: the session is created with ['cuda'] ONLY (onnxruntime
 * throws instead of falling back when the CUDA provider cannot load); onnxruntime's own profile of a
 * run attributes the model's nodes to CUDAExecutionProvider; nvidia-smi lists this process. Exit code
 * 1 when any of the first two fails. --cpu adds the same measurement on the CPU provider for the ratio.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { parseArgs } = require('node:util');
const ort = require('onnxruntime-node');

const ROOT = path.resolve(__dirname, '..');

function newestVersion(name) {
  const dir = path.join(ROOT, 'models', name);
  const version = fs
    .readdirSync(dir)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))[0];
  return path.join(dir, version);
}

function randomRows(rows, width) {
  const data = new Float32Array(rows * width);
  let seed = 42;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    data[i] = (seed / 2 ** 32) * 4 - 1;
  }
  return data;
}

async function measure(session, config, batch, seconds) {
  const width = config.input[0].dims[1];
  const feeds = { [config.input[0].name]: new ort.Tensor('float32', randomRows(batch, width), [batch, width]) };
  for (let i = 0; i < 3; i++) await session.run(feeds);
  let runs = 0;
  const latencies = [];
  const started = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - started) / 1e9 < seconds || runs < 3) {
    const t = process.hrtime.bigint();
    const out = await session.run(feeds);
    latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (out[config.output[0].name].data.length !== batch) throw new Error('wrong output size');
    runs += 1;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { batch, runs, pairs_per_s: Math.round((batch * runs) / elapsed), p50_ms: latencies[Math.floor(latencies.length / 2)], best_ms: latencies[0] };
}

/** Runs once with onnxruntime's profiler on and counts node events per execution provider. */
async function profileProviders(modelPath, config, providers) {
  const prefix = path.join(os.tmpdir(), `gpu-check-${process.pid}`);
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: providers, enableProfiling: true, profileFilePrefix: prefix });
  const width = config.input[0].dims[1];
  await session.run({ [config.input[0].name]: new ort.Tensor('float32', randomRows(1024, width), [1024, width]) });
  session.endProfiling();
  await session.release();
  const dir = path.dirname(prefix);
  const file = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.json'))
    .map((f) => path.join(dir, f))[0];
  const counts = {};
  if (file) {
    for (const event of JSON.parse(fs.readFileSync(file, 'utf8'))) {
      const provider = event.args && event.args.provider;
      if (event.cat === 'Node' && provider) counts[provider] = (counts[provider] || 0) + 1;
    }
    fs.rmSync(file, { force: true });
  }
  return counts;
}

function nvidiaSmi() {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function processOnGpu() {
  try {
    const apps = execFileSync('nvidia-smi', ['--query-compute-apps=pid,used_memory', '--format=csv,noheader'], { encoding: 'utf8' });
    return apps.split('\n').some((line) => line.trim().startsWith(`${process.pid},`));
  } catch {
    return null;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      batches: { type: 'string', default: '1000,10000,100000,1000000' },
      seconds: { type: 'string', default: '2' },
      cpu: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const versionDir = path.resolve(values.model ?? newestVersion('recommendation'));
  const modelPath = path.join(versionDir, 'model.onnx');
  const config = JSON.parse(fs.readFileSync(path.join(versionDir, 'config.json'), 'utf8'));
  const batches = values.batches.split(',').map(Number);
  const seconds = Number(values.seconds);
  const result = {
    date: new Date().toISOString(),
    gpu: nvidiaSmi(),
    node: process.version,
    onnxruntime_node: require('onnxruntime-node/package.json').version,
    model: path.relative(ROOT, versionDir),
    requested_providers: ['cuda'],
  };

  let session;
  try {
    session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cuda'] });
  } catch (error) {
    result.error = `the CUDA execution provider could not be created: ${String(error.message || error).split('\n')[0]}`;
    console.log(JSON.stringify(result, null, 2));
    process.exitCode = 1;
    return;
  }
  result.provider = 'cuda';
  result.profile_node_providers = await profileProviders(modelPath, config, ['cuda']);
  result.cuda_nodes = result.profile_node_providers.CUDAExecutionProvider || 0;
  result.cuda = [];
  for (const batch of batches) {
    const m = await measure(session, config, batch, seconds);
    result.cuda.push(m);
    console.error(`cuda  batch ${batch}: ${m.pairs_per_s.toLocaleString()} pairs/s (p50 ${m.p50_ms.toFixed(2)} ms)`);
  }
  result.process_listed_by_nvidia_smi = processOnGpu();
  await session.release();
  if (values.cpu) {
    const cpu = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'] });
    result.cpu = [];
    for (const batch of batches) {
      const m = await measure(cpu, config, batch, seconds);
      result.cpu.push(m);
      console.error(`cpu   batch ${batch}: ${m.pairs_per_s.toLocaleString()} pairs/s (p50 ${m.p50_ms.toFixed(2)} ms)`);
    }
    result.cpu_threads = os.cpus().length;
    await cpu.release();
  }
  result.best_cuda_pairs_per_s = Math.max(...result.cuda.map((m) => m.pairs_per_s));
  result.target_1M_per_s_met = result.best_cuda_pairs_per_s >= 1_000_000;
  if (result.cuda_nodes === 0) {
    result.error = 'onnxruntime profiled no node on CUDAExecutionProvider';
    process.exitCode = 1;
  }
  const text = JSON.stringify(result, null, 2);
  if (values.out) fs.writeFileSync(values.out, `${text}\n`);
  console.log(text);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
