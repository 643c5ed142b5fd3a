import { parsePartialJson } from "@langchain/core/output_parsers";

export function partial(text: string) {
  // The API streams JSON; show what has arrived so far.
  return parsePartialJson(text);
}
