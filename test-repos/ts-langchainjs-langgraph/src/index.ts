import "dotenv/config";
import { createInterface } from "node:readline/promises";
import { stdin as input, stdout as output } from "node:process";

import { traceable } from "langsmith/traceable";

import { buildPlanner } from "./agent.js";
import { HumanMessage, type BaseMessage } from "./messages.js";

const planner = buildPlanner();
const threadId = `cli-${Date.now()}`;

const ask = traceable(
  async (question: string): Promise<string> => {
    const state = await planner.invoke(
      { messages: [new HumanMessage(question)] },
      { configurable: { thread_id: threadId } },
    );
    const last: BaseMessage = state.messages[state.messages.length - 1];
    return typeof last.content === "string" ? last.content : JSON.stringify(last.content);
  },
  { name: "trip-planner-turn" },
);

const rl = createInterface({ input, output });
console.log("Where would you like to go this weekend? (empty line to quit)");
for (;;) {
  const question = (await rl.question("> ")).trim();
  if (!question) break;
  console.log(await ask(question));
}
rl.close();
