import { openai } from "@ai-sdk/openai";
import { Mastra } from "@mastra/core";
import { Agent } from "@mastra/core/agent";
import { createTool } from "@mastra/core/tools";
import { z } from "zod";

import { findAccount } from "./crm.js";

const accountLookup = createTool({
  id: "account-lookup",
  description: "Find a customer account in the CRM export by name, domain or id",
  inputSchema: z.object({ query: z.string() }),
  outputSchema: z.object({
    found: z.boolean(),
    name: z.string().optional(),
    industry: z.string().optional(),
    employees: z.number().optional(),
    owner: z.string().optional(),
  }),
  execute: async ({ context }) => {
    const account = await findAccount(context.query);
    if (!account) return { found: false };
    return {
      found: true,
      name: account.name,
      industry: account.industry,
      employees: account.employees,
      owner: account.owner,
    };
  },
});

export const researchAgent = new Agent({
  name: "research-agent",
  instructions: `You prepare one-page account briefs for sales reps.
Always call account-lookup first. Structure the brief as: Overview, Recent news,
Talking points. Keep it under 250 words and do not speculate about revenue.`,
  model: openai("gpt-4o"),
  tools: { accountLookup },
});

export const mastra = new Mastra({
  agents: { researchAgent },
});

if (process.argv[2]) {
  const agent = mastra.getAgent("researchAgent");
  const result = await agent.generate(`Prepare a brief for ${process.argv[2]}`);
  console.log(result.text);
}
