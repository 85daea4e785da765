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
//     "tokenize": ["text", ...] }                     // the model's own ids for texts (no BOS)
// Every field but "model" and "threads" is optional.
//
// Result:
//   { "llama": {...}, "loadMs": n, "contextSize": n, "batchSize": n,
//     "prefill": [{ "tokens": n, "tokensPerSecond": [per repeat] }],
//     "decode": { "tokensPerSecond": [per repeat], "tokens": [ids], "text": str, "sameEveryRepeat": bool },
//     "tokenize": [[ids], ...] }
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
    sequences: 1
});
const sequence = context.getSequence();

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

await context.dispose();
await model.dispose();
await llama.dispose();
process.stdout.write(JSON.stringify(result) + "\n");

/** Greedy tokens after the prompt; end-of-generation tokens are kept, so the count is always `count`. */
async function greedy(prompt, count) {
    await sequence.clearHistory();
    const tokens = [];
    let firstAt = 0;
    let lastAt = 0;
    for await (const token of sequence.evaluate(prompt, { temperature: 0, yieldEogToken: true })) {
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
    return { tokens, tokensPerSecond };
}

async function readStdin() {
    const chunks = [];
    for await (const chunk of process.stdin) {
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
}
