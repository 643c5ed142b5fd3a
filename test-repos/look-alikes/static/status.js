// Status page: polls the queue-depth endpoint and draws it with chartkit.
async function refresh() {
  const res = await fetch("/api/queues");
  const data = await res.json();
  window.chartkit.layout({ width: 600, height: 200 }, { scale: 1, ticks: data.length });
}
setInterval(refresh, 10_000);
