import { MemorySaver } from "@langchain/langgraph";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { ChatOpenAI } from "@langchain/openai";

import { nextWeekend } from "./format.js";
import { allTools } from "./tools.js";

export function buildPlanner(modelName = process.env.PLANNER_MODEL ?? "gpt-4o-mini") {
  const { saturday, sunday } = nextWeekend();
  const llm = new ChatOpenAI({ model: modelName, temperature: 0.3 });

  return createReactAgent({
    llm,
    tools: allTools,
    checkpointSaver: new MemorySaver(),
    prompt:
      `You plan weekend trips for ${saturday} and ${sunday}. Check the weather ` +
      "for the destination, search for two or three things to do, convert prices " +
      "into the traveller's currency, and answer with a short day-by-day plan.",
  });
}
