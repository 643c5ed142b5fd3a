// Drafts and sends replies to support tickets. The loop is bounded, but nobody reviews a
// mail before it goes out.
import { generateText, stepCountIs, tool } from "ai";
import { openai } from "@ai-sdk/openai";
import { Resend } from "resend";
import { z } from "zod";

const resend = new Resend(process.env.RESEND_TOKEN);

export const sendEmail = tool({
  description: "Send an e-mail reply to a customer",
  inputSchema: z.object({ to: z.string(), body: z.string() }),
  execute: async ({ to, body }) =>
    resend.emails.send({ from: "support@acme.test", to, subject: "Re: your ticket", text: body }),
});

export async function reply(ticket: string) {
  return generateText({
    model: openai("gpt-4o-mini"),
    tools: { sendEmail },
    stopWhen: stepCountIs(5),
    prompt: `Answer this ticket and mail the customer: ${ticket}`,
  });
}
