import { getLogger } from "@fabricatio/logger";

const logger = getLogger("fabricatio:llm");

/**
 * Runs `one` on a single input, or on every input of a batch concurrently. A batch keeps the
 * input order and turns an item that throws into `null` (logged), as the original does, so one
 * bad answer does not lose the others; a single input's error propagates.
 */
export async function mapBatch<I, O>(
  input: I | readonly I[],
  one: (item: I, index: number) => Promise<O>,
): Promise<O | (O | null)[]> {
  if (!Array.isArray(input)) return one(input as I, 0);
  return Promise.all(
    (input as readonly I[]).map((item, index) =>
      one(item, index).catch((error: unknown) => {
        logger.error(`item ${index} of a batch failed`, { error });
        return null;
      }),
    ),
  );
}
