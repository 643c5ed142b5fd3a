import clsx, { type ClassValue } from "clsx";

import docs from "./docs-index.json";

export interface DocPage {
  title: string;
  slug: string;
  body: string;
}

export function cx(...values: ClassValue[]): string {
  return clsx(values);
}

export function formatTime(date: Date): string {
  return date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

export function clampText(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, max - 1).trimEnd() + "…";
}

function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2);
}

export function searchDocsIndex(query: string, limit = 5): DocPage[] {
  const terms = new Set(tokenize(query));
  const scored = (docs as DocPage[]).map((page) => {
    const words = tokenize(page.title + " " + page.body);
    const score = words.reduce((acc, w) => acc + (terms.has(w) ? 1 : 0), 0);
    return { page, score };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((s) => s.page);
}
