import fc from 'fast-check';
import { batchArbitrary, startFuzzTarget } from '../tests/fuzz/syncFuzzer.ts';

// `npm run fuzz:sync -- <seed> <cases> [path]`: the structure-aware sync fuzzer of
// tests/integration/syncFuzz.test.ts, long. Prints progress every 1,000 cases and one summary line; exits
// non-zero with fast-check's counterexample, its cause, and the seed and path that replay it (pass the path
// as the third argument to run that one case again).
const [seedArg, casesArg, path] = process.argv.slice(2);
const seed = seedArg === undefined ? Date.now() % 2 ** 31 : Number(seedArg);
const cases = casesArg === undefined ? 100_000 : Number(casesArg);
if (!Number.isInteger(seed) || !Number.isInteger(cases) || cases < 1) {
  process.stderr.write('usage: npm run fuzz:sync -- <seed> <cases>\n');
  process.exit(2);
}

const started = performance.now();
const target = await startFuzzTarget();
let done = 0;
const report = (result: string): void =>
  void process.stdout.write(`${JSON.stringify({ seed, cases, done, minutes: Number(((performance.now() - started) / 60_000).toFixed(1)), result })}\n`);
try {
  await fc.assert(
    fc.asyncProperty(batchArbitrary(target.limits), async (batch) => {
      // FUZZ_TRACE=1 prints every batch before it runs: what a hang was doing.
      if (process.env['FUZZ_TRACE']) process.stderr.write(`batch ${done + 1}: ${JSON.stringify(batch).slice(0, 400)}\n`);
      await target.run(batch);
      if (++done % 1_000 === 0) report('running');
    }),
    { seed, numRuns: cases, endOnFailure: true, ...(path === undefined ? {} : { path }) },
  );
  report('passed');
} catch (error) {
  report('failed');
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof Error && error.cause !== undefined) process.stderr.write(`cause: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : JSON.stringify(error.cause)}\n`);
  process.exitCode = 1;
} finally {
  await target.close();
}
process.exit();
