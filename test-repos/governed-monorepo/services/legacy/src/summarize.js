const Anthropic = require("@anthropic-ai/sdk");

const client = new Anthropic();

async function summarize(text) {
  const msg = await client.messages.create({
    model: "claude-3-5-haiku-20241022",
    max_tokens: 300,
    messages: [{ role: "user", content: `Summarize: ${text}` }],
  });
  return msg.content[0].text;
}

module.exports = { summarize };
