import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "tickets", version: "2.1.0" });

server.tool("open_ticket", { title: z.string() }, async ({ title }) => ({
  content: [{ type: "text", text: `opened: ${title}` }],
}));

await server.connect(new StdioServerTransport());
