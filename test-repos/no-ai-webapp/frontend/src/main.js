import "htmx.org";
import dayjs from "dayjs";

import { renderSchedule } from "./schedule.js";

async function loadBookings(roomId) {
  const day = dayjs().format("YYYY-MM-DD");
  const res = await fetch(`/api/rooms/${roomId}/bookings?day=${day}`);
  if (!res.ok) {
    throw new Error(`failed to load bookings (${res.status})`);
  }
  return res.json();
}

document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("rooms");
  const target = document.getElementById("schedule");
  if (!list || !target) return;

  list.addEventListener("click", async (event) => {
    const item = event.target.closest("[data-room-id]");
    if (!item) return;
    target.textContent = "Loading…";
    try {
      const bookings = await loadBookings(item.dataset.roomId);
      renderSchedule(target, bookings);
    } catch (err) {
      target.textContent = "Could not load the schedule.";
      console.error(err);
    }
  });
});
