import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic(); // reads ANTHROPIC_API_KEY from the environment

export async function summarize(thread, maxWords = 120) {
  const message = await client.messages.create({
    model: process.env.SUMMARY_MODEL ?? "claude-3-5-haiku-latest",
    max_tokens: 400,
    system: `Summarise the support thread in at most ${maxWords} words.`,
    messages: [{ role: "user", content: thread.join("\n\n") }],
  });
  return message.content
    .filter((block) => block.type === "text")
    .map((block) => block.text)
    .join("");
}
