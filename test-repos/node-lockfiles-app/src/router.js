import { ChatOpenAI } from "@langchain/openai";

const QUEUES = ["billing", "bugs", "accounts", "general"];

// Reads OPENAI_API_KEY from the environment.
const model = new ChatOpenAI({ model: process.env.ROUTER_MODEL ?? "gpt-4o-mini", temperature: 0 });

export async function routeTicket(text) {
  const reply = await model.invoke([
    ["system", `Answer with exactly one of: ${QUEUES.join(", ")}.`],
    ["human", text],
  ]);
  const queue = String(reply.content).trim().toLowerCase();
  return QUEUES.includes(queue) ? queue : "general";
}
