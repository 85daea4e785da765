// llama.cpp as the harness's baseline (infra/bench): loads one GGUF file with node-llama-cpp's prebuilt
// CPU binaries and times prefill and greedy decode on token ids it is given, so both sides of a ratio
// run on the same ids. Reads one JSON request on stdin, writes one JSON result on stdout; llama.cpp's
// own log goes to stderr.
//
// Request:
//   { "model": "/path/model.gguf", "threads": 2, "batchSize": 512, "contextSize": 1024,
//     "repeats": 3,
//     "prefill": [[ids...], ...],                    // each list is evaluated whole, without generating
//     "decode": { "prompt": [ids...], "tokens": 32 }, // greedy continuation of the prompt
//     "warmUpTokens": 8,                              // one short decode before anything is timed
//     "tokenize": ["text", ...],                      // the model's own ids for texts (no BOS)
//     "parallel": { "prompts": [[ids...], ...],      // sequences that start together, as the slots of
//                   "tokens": 32, "counts": [1, 4, 8] } // llama.cpp's server: prompt i on sequence i
// Every field but "model" and "threads" is optional. With "parallel", the context has as many
// sequences as the largest count, each of "contextSize" cells, and node-llama-cpp evaluates what the
// sequences queue together in one batch.
//
// Result:
//   { "llama": {...}, "loadMs": n, "contextSize": n, "batchSize": n,
//     "prefill": [{ "tokens": n, "tokensPerSecond": [per repeat] }],
//     "decode": { "tokensPerSecond": [per repeat], "tokens": [ids], "text": str, "sameEveryRepeat": bool },
//     "tokenize": [[ids], ...],
//     "parallel": { "alone": [[ids] per prompt],      // each prompt's greedy tokens on its own
//                   "runs": [{ "sequences": n,         // one per count and repeat
//                              "tokensPerSecond": n,   // all sequences' tokens over the run's time
//                              "timeToFirstTokenMs": [per sequence], "tokens": [[ids] per sequence] }] } }
// Decode speed is (generated - 1) tokens over the time from the first generated token to the last, so
// the prompt's pass is not in it (as GenerationResult.tokensPerSecond on the Java side).
import { getLlama } from "node-llama-cpp";

const request = JSON.parse(await readStdin());
const threads = request.threads;
const repeats = request.repeats ?? 1;

const llama = await getLlama({
    gpu: false,
    build: "never",
    maxThreads: threads,
    progressLogs: false,
    logLevel: "error",
    logger: (level, message) => process.stderr.write(`[llama.cpp ${level}] ${message}\n`)
});
const loadStart = performance.now();
const model = await llama.loadModel({ modelPath: request.model, gpuLayers: 0 });
const loadMs = performance.now() - loadStart;
const context = await model.createContext({
    contextSize: request.contextSize ?? 1024,
    batchSize: request.batchSize ?? 512,
    threads: { ideal: threads, min: threads },
    sequences: request.parallel ? Math.max(...request.parallel.counts) : 1
});
const sequences = Array.from({ length: context.totalSequences }, () => context.getSequence());
const sequence = sequences[0];

const result = {
    llama: {
        release: llama.llamaCppRelease,
        buildType: llama.buildType,
        gpu: llama.gpu,
        systemInfo: llama.systemInfo,
        threads: context.idealThreads
    },
    loadMs,
    contextSize: context.contextSize,
    batchSize: context.batchSize
};

if (request.tokenize) {
    result.tokenize = request.tokenize.map(text => Array.from(model.tokenize(text)));
}
if (request.warmUpTokens > 0 && request.decode) {
    await greedy(request.decode.prompt, request.warmUpTokens);
}
if (request.prefill) {
    result.prefill = [];
    for (const ids of request.prefill) {
        const speeds = [];
        for (let r = 0; r < repeats; r++) {
            await sequence.clearHistory();
            const start = performance.now();
            await sequence.evaluateWithoutGeneratingNewTokens(ids);
            speeds.push(ids.length * 1000 / (performance.now() - start));
        }
        result.prefill.push({ tokens: ids.length, tokensPerSecond: speeds });
    }
}
if (request.decode) {
    const speeds = [];
    let first = null;
    let same = true;
    for (let r = 0; r < repeats; r++) {
        const run = await greedy(request.decode.prompt, request.decode.tokens);
        speeds.push(run.tokensPerSecond);
        if (first === null) {
            first = run.tokens;
        } else {
            same &&= first.length === run.tokens.length && first.every((t, i) => t === run.tokens[i]);
        }
    }
    result.decode = {
        tokensPerSecond: speeds,
        tokens: first,
        text: model.detokenize(first, false, request.decode.prompt),
        sameEveryRepeat: same
    };
}

if (request.parallel) {
    result.parallel = await parallel(request.parallel);
}

await context.dispose();
await model.dispose();
await llama.dispose();
process.stdout.write(JSON.stringify(result) + "\n");

/** The prompts alone, one after another, then for each repeat and count the first `count` prompts started together. */
async function parallel({ prompts, tokens, counts }) {
    const alone = [];
    for (const prompt of prompts.slice(0, Math.max(...counts))) {
        alone.push((await greedy(prompt, tokens)).tokens);
    }
    const runs = [];
    for (let r = 0; r < repeats; r++) {
        for (const count of counts) {
            const start = performance.now();
            const answers = await Promise.all(
                prompts.slice(0, count).map((prompt, i) => greedy(prompt, tokens, sequences[i])));
            const seconds = (performance.now() - start) / 1000;
            runs.push({
                sequences: count,
                tokensPerSecond: answers.reduce((sum, a) => sum + a.tokens.length, 0) / seconds,
                timeToFirstTokenMs: answers.map(a => a.firstAt - start),
                tokens: answers.map(a => a.tokens)
            });
        }
    }
    return { alone, runs };
}

/** Greedy tokens after the prompt; end-of-generation tokens are kept, so the count is always `count`. */
async function greedy(prompt, count, on = sequence) {
    await on.clearHistory();
    const tokens = [];
    let firstAt = 0;
    let lastAt = 0;
    for await (const token of on.evaluate(prompt, { temperature: 0, yieldEogToken: true })) {
        lastAt = performance.now();
        if (tokens.length === 0) {
            firstAt = lastAt;
        }
        tokens.push(token);
        if (tokens.length >= count) {
            break;
        }
    }
    const tokensPerSecond = tokens.length > 1 ? (tokens.length - 1) * 1000 / (lastAt - firstAt) : 0;
    return { tokens, tokensPerSecond, firstAt };
}

async function readStdin() {
    const chunks = [];
    for await (const chunk of process.stdin) {
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
}
