import { readFile } from "node:fs/promises";

export interface Account {
  id: string;
  name: string;
  domain: string;
  industry: string;
  employees: number;
  owner: string;
}

let cache: Account[] | null = null;

export async function loadAccounts(path = process.env.CRM_EXPORT ?? "data/accounts.json"): Promise<Account[]> {
  if (cache) return cache;
  const raw = await readFile(path, "utf8");
  cache = JSON.parse(raw) as Account[];
  return cache;
}

export async function findAccount(query: string): Promise<Account | undefined> {
  const q = query.trim().toLowerCase();
  const accounts = await loadAccounts();
  return accounts.find(
    (a) => a.name.toLowerCase() === q || a.domain.toLowerCase() === q || a.id === query,
  );
}
