import { openai } from "@ai-sdk/openai";
import { convertToModelMessages, streamText, type UIMessage } from "ai";

import { supportPrompt } from "@/lib/prompt";

export const maxDuration = 30;

export async function POST(req: Request) {
  const { messages }: { messages: UIMessage[] } = await req.json();
  const result = streamText({
    model: openai("gpt-4.1-mini"),
    system: supportPrompt,
    messages: convertToModelMessages(messages),
  });
  return result.toUIMessageStreamResponse();
}
