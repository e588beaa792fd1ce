/**
 * `work` on every item, at most `width` at a time. After a failure no further item is started,
 * and the failure is thrown once the items in flight have finished, so no write of the request
 * runs on after its answer.
 */
export async function inTurns<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (failures.length === 0 && next < items.length) {
        await work(items[next++]).catch((reason: unknown) => failures.push(reason));
      }
    }),
  );
  if (failures.length > 0) throw failures[0];
}
