import data from "../../../prices/data.json";

export function inputPrice(id: string): number | undefined {
  return data.find((m) => m.id === id)?.input;
}
