import { TavilySearchResults } from "@langchain/community/tools/tavily_search";
import { tool } from "@langchain/core/tools";
import { z } from "zod";

import { formatForecast, roundMoney, type Forecast } from "./format.js";

export const webSearch = new TavilySearchResults({ maxResults: 4 });

export const weather = tool(
  async ({ latitude, longitude, city }) => {
    const url =
      `https://api.open-meteo.com/v1/forecast?latitude=${latitude}&longitude=${longitude}` +
      "&daily=temperature_2m_min,temperature_2m_max,precipitation_sum&forecast_days=7";
    const res = await fetch(url);
    if (!res.ok) return `weather lookup failed (${res.status})`;
    const data = (await res.json()) as {
      daily: { time: string[]; temperature_2m_min: number[]; temperature_2m_max: number[]; precipitation_sum: number[] };
    };
    const days: Forecast[] = data.daily.time.map((date, i) => ({
      date,
      minC: data.daily.temperature_2m_min[i],
      maxC: data.daily.temperature_2m_max[i],
      rainMm: data.daily.precipitation_sum[i],
    }));
    return formatForecast(city, days);
  },
  {
    name: "weather",
    description: "7-day forecast for a location given its coordinates",
    schema: z.object({ city: z.string(), latitude: z.number(), longitude: z.number() }),
  },
);

export const convertCurrency = tool(
  async ({ amount, from, to }) => {
    const res = await fetch(`https://api.frankfurter.app/latest?amount=${amount}&from=${from}&to=${to}`);
    if (!res.ok) return `conversion failed (${res.status})`;
    const data = (await res.json()) as { rates: Record<string, number> };
    return roundMoney(data.rates[to], to);
  },
  {
    name: "convert_currency",
    description: "Convert an amount between two ISO currency codes",
    schema: z.object({ amount: z.number(), from: z.string().length(3), to: z.string().length(3) }),
  },
);

export const allTools = [webSearch, weather, convertCurrency];
