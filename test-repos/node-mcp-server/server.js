#!/usr/bin/env node
"use strict";

const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { z } = require("zod");

const notes = require("./lib/notes");

const NOTES_DIR = process.env.NOTES_DIR || process.cwd();

const server = new McpServer({ name: "notes", version: "0.3.0" });

function text(value) {
  return { content: [{ type: "text", text: value }] };
}

server.tool(
  "list_notes",
  "List the notes in the notes folder, optionally filtered by tag",
  { tag: z.string().optional() },
  async ({ tag }) => {
    const all = await notes.listNotes(NOTES_DIR);
    const filtered = tag ? all.filter((n) => n.tags.includes(tag)) : all;
    return text(filtered.map((n) => `- ${n.file}: ${n.title}`).join("\n") || "(no notes)");
  },
);

server.tool(
  "read_note",
  "Return the full Markdown of one note",
  { file: z.string().describe("file name relative to the notes folder") },
  async ({ file }) => text(await notes.readNote(NOTES_DIR, file)),
);

server.tool(
  "search_notes",
  "Case-insensitive full-text search over all notes",
  { query: z.string().min(2), limit: z.number().int().positive().max(50).default(10) },
  async ({ query, limit }) => {
    const hits = await notes.search(NOTES_DIR, query, limit);
    return text(hits.map((h) => `${h.file}:${h.line}: ${h.snippet}`).join("\n") || "no matches");
  },
);

if (process.env.ANTHROPIC_API_KEY) {
  server.tool(
    "summarize_note",
    "Summarise a note in a few bullet points (uses Claude)",
    { file: z.string() },
    async ({ file }) => {
      // summarize.mjs is ESM; load it lazily so the server starts without the SDK configured
      const { summarize } = await import("./summarize.mjs");
      const body = await notes.readNote(NOTES_DIR, file);
      return text(await summarize(body));
    },
  );
}

async function main() {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  console.error(`notes MCP server running on stdio (dir: ${NOTES_DIR})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
