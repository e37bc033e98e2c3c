/**
 * What a promise rejects with, for assertions on the error itself; fails when it fulfils instead.
 *
 * @example
 * const error = await rejection(client.reports.get(id));
 * expect(error).toBeInstanceOf(ReferralApiError);
 */
export async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
