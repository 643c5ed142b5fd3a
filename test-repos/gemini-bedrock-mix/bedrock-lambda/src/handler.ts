import {
  BedrockRuntimeClient,
  ConverseCommand,
  type Message,
} from "@aws-sdk/client-bedrock-runtime";
import type { S3Event } from "aws-lambda";

import { readText, summaryKey, writeText } from "./s3";

const MODEL_ID = process.env.BEDROCK_MODEL_ID ?? "anthropic.claude-3-5-haiku-20241022-v1:0";
const bedrock = new BedrockRuntimeClient({ region: process.env.AWS_REGION ?? "eu-central-1" });

const SYSTEM_PROMPT =
  "Summarise the meeting transcript as Markdown with the sections Summary, " +
  "Decisions and Action items (owner: task). Never invent owners.";

async function summarise(transcript: string): Promise<string> {
  const messages: Message[] = [{ role: "user", content: [{ text: transcript }] }];
  const response = await bedrock.send(
    new ConverseCommand({
      modelId: MODEL_ID,
      system: [{ text: SYSTEM_PROMPT }],
      messages,
      inferenceConfig: { maxTokens: 1024, temperature: 0.2 },
    }),
  );
  const blocks = response.output?.message?.content ?? [];
  return blocks.map((b) => b.text ?? "").join("\n").trim();
}

export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
    if (!key.endsWith(".txt")) continue;

    const transcript = await readText(bucket, key);
    const summary = await summarise(transcript);
    await writeText(bucket, summaryKey(key), summary);
    console.log(JSON.stringify({ key, words: summary.split(/\s+/).length }));
  }
}
