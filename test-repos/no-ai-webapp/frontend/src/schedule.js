import dayjs from "dayjs";

export function renderSchedule(target, bookings) {
  target.replaceChildren();
  if (bookings.length === 0) {
    target.textContent = "Free all day.";
    return;
  }
  const table = document.createElement("table");
  for (const b of bookings) {
    const row = table.insertRow();
    row.insertCell().textContent = `${dayjs(b.start).format("HH:mm")}–${dayjs(b.end).format("HH:mm")}`;
    row.insertCell().textContent = b.title;
    row.insertCell().textContent = b.by;
  }
  target.appendChild(table);
}
