import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { batchArbitrary, startFuzzTarget, type FuzzTarget } from '../fuzz/syncFuzzer.ts';

// The in-suite run of the structure-aware fuzzer (issue 11); `npm run fuzz:sync -- <seed> <cases>` runs it long.
describe('structure-aware fuzzing of presence and updates over real sockets', () => {
  let target: FuzzTarget;
  beforeAll(async () => {
    target = await startFuzzTarget();
  });
  afterAll(() => target.close());

  it('never stops the server or another meeting, never stores beyond the quota, and refuses only with protocol codes', async () => {
    await fc.assert(
      fc.asyncProperty(batchArbitrary(target.limits), (batch) => target.run(batch)),
      { numRuns: 60 },
    );
  }, 120_000);
});
