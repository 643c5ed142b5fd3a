"use strict";

const fs = require("node:fs/promises");
const path = require("node:path");
const matter = require("gray-matter");

function safeJoin(dir, file) {
  const full = path.resolve(dir, file);
  if (!full.startsWith(path.resolve(dir) + path.sep)) {
    throw new Error(`refusing to read outside the notes folder: ${file}`);
  }
  return full;
}

async function markdownFiles(dir) {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".md")).map((e) => e.name);
}

async function listNotes(dir) {
  const files = await markdownFiles(dir);
  const out = [];
  for (const file of files) {
    const { data, content } = matter(await fs.readFile(path.join(dir, file), "utf8"));
    const heading = content.split("\n").find((l) => l.startsWith("# "));
    out.push({
      file,
      title: data.title || (heading ? heading.slice(2).trim() : file),
      tags: Array.isArray(data.tags) ? data.tags : [],
    });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

async function readNote(dir, file) {
  return fs.readFile(safeJoin(dir, file), "utf8");
}

async function search(dir, query, limit = 10) {
  const needle = query.toLowerCase();
  const hits = [];
  for (const file of await markdownFiles(dir)) {
    const lines = (await fs.readFile(path.join(dir, file), "utf8")).split("\n");
    lines.forEach((line, i) => {
      if (hits.length < limit && line.toLowerCase().includes(needle)) {
        hits.push({ file, line: i + 1, snippet: line.trim().slice(0, 160) });
      }
    });
  }
  return hits;
}

module.exports = { listNotes, readNote, search, safeJoin };
