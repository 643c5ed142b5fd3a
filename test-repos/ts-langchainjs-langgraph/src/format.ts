export interface Forecast {
  date: string;
  minC: number;
  maxC: number;
  rainMm: number;
}

export function formatForecast(city: string, days: Forecast[]): string {
  const lines = days.map(
    (d) => `${d.date}: ${Math.round(d.minC)}–${Math.round(d.maxC)} °C, rain ${d.rainMm.toFixed(1)} mm`,
  );
  return [`Forecast for ${city}:`, ...lines].join("\n");
}

export function roundMoney(value: number, currency: string): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(value);
}

export function nextWeekend(from = new Date()): { saturday: string; sunday: string } {
  const d = new Date(from);
  const offset = (6 - d.getDay() + 7) % 7 || 7;
  d.setDate(d.getDate() + offset);
  const saturday = d.toISOString().slice(0, 10);
  d.setDate(d.getDate() + 1);
  return { saturday, sunday: d.toISOString().slice(0, 10) };
}
