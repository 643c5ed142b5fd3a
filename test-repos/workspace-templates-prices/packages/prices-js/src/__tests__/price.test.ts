import { inputPrice } from "../index";

test("looks a route up", () => {
  expect(inputPrice("openai/gpt-4o")).toBe(2.5);
});
