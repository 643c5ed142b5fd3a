import OpenAI from "openai";

const client = new OpenAI();

export async function triage(alert: string): Promise<string> {
  const r = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `Triage this alert: ${alert}` }],
  });
  return r.choices[0].message.content ?? "";
}
