import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

const s3 = new S3Client({});

export async function readText(bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!out.Body) throw new Error(`empty object s3://${bucket}/${key}`);
  return out.Body.transformToString("utf-8");
}

export async function writeText(bucket: string, key: string, body: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "text/markdown" }),
  );
}

export function summaryKey(transcriptKey: string): string {
  const base = transcriptKey.split("/").pop() ?? transcriptKey;
  return `summaries/${base.replace(/\.txt$/, "")}.md`;
}
