// Summaries through the Anthropic Messages API.
// The SDK is imported dynamically so that installs without it still work.

const MODEL = process.env.SUMMARY_MODEL ?? "claude-3-5-haiku-latest";
const MAX_INPUT_CHARS = 40_000;

let client;

async function getClient() {
  if (!client) {
    const { default: Anthropic } = await import("@anthropic-ai/sdk");
    client = new Anthropic();
  }
  return client;
}

export async function summarize(markdown) {
  const anthropic = await getClient();
  const input = markdown.length > MAX_INPUT_CHARS ? markdown.slice(0, MAX_INPUT_CHARS) : markdown;
  const message = await anthropic.messages.create({
    model: MODEL,
    max_tokens: 400,
    system: "Summarise the user's note as 3-6 short bullet points. Keep names and dates.",
    messages: [{ role: "user", content: input }],
  });
  return message.content
    .filter((block) => block.type === "text")
    .map((block) => block.text)
    .join("\n")
    .trim();
}
