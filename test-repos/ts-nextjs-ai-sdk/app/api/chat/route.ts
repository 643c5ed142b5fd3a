import { anthropic } from "@ai-sdk/anthropic";
import { openai } from "@ai-sdk/openai";
import { convertToModelMessages, streamText, tool, type UIMessage } from "ai";
import { z } from "zod";

import { clampText, searchDocsIndex } from "@/lib/util";

export const maxDuration = 30;

const SYSTEM = `You answer questions about the Acme product documentation.
Use the searchDocs tool before answering. Cite page titles in your answer.
If the docs do not cover the question, say so.`;

function pickModel() {
  if (process.env.CHAT_PROVIDER === "anthropic") {
    return anthropic("claude-3-5-haiku-latest");
  }
  return openai("gpt-4o-mini");
}

export async function POST(req: Request) {
  const { messages }: { messages: UIMessage[] } = await req.json();

  const result = streamText({
    model: pickModel(),
    system: SYSTEM,
    messages: convertToModelMessages(messages),
    tools: {
      searchDocs: tool({
        description: "Search the documentation and return matching page excerpts",
        inputSchema: z.object({
          query: z.string().describe("keywords to search for"),
        }),
        execute: async ({ query }) => {
          const hits = searchDocsIndex(query, 3);
          return hits.map((h) => ({ title: h.title, excerpt: clampText(h.body, 600) }));
        },
      }),
    },
  });

  return result.toUIMessageStreamResponse();
}
