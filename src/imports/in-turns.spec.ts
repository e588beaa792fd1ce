import { inTurns } from './in-turns';

/** A promise with its resolve and reject in hand, to decide when each batch ends. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('inTurns (the import writes its batches so)', () => {
  it('runs at most `width` items at once and every item once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await inTurns([1, 2, 3, 4, 5], 2, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await settle();
      running -= 1;
      done.push(n);
    });
    expect(most).toBe(2);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('after a failure starts no further item and answers only when the item in flight has ended', async () => {
    const batches = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    let answered: unknown = 'pending';
    const run = inTurns([0, 1, 2, 3], 2, (i) => {
      started.push(i);
      return batches[i].promise;
    }).then(
      () => (answered = 'resolved'),
      (error: Error) => (answered = error.message),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    batches[1].reject(new Error('batch 1 failed'));
    await settle();
    // Batch 0 still writes: the request has no answer yet, and no batch has taken batch 1's place.
    expect(answered).toBe('pending');
    expect(started).toEqual([0, 1]);
    batches[0].resolve();
    await run;
    expect(answered).toBe('batch 1 failed');
    expect(started).toEqual([0, 1]);
  });
});
