import { z } from "zod";

/** Token usage; `estimated` is true when Sluice counted it because the provider gave none. */
export const Usage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
  estimated: z.boolean().optional(),
});
export type Usage = z.infer<typeof Usage>;
