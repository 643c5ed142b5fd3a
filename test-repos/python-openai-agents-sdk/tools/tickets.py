from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timezone

URGENT_WORDS = ("urgent", "asap", "demo", "outage", "cannot log in", "locked out")


@dataclass
class Ticket:
    id: str
    summary: str
    requester: str
    priority: str
    opened_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


def priority_from_text(text: str) -> str:
    lowered = text.lower()
    if any(word in lowered for word in URGENT_WORDS):
        return "high"
    return "normal"


class TicketStore:
    def __init__(self) -> None:
        self._seq = itertools.count(1001)
        self._tickets: dict[str, Ticket] = {}

    def open(self, summary: str, requester: str, priority: str = "normal") -> Ticket:
        ticket = Ticket(f"IT-{next(self._seq)}", summary.strip(), requester, priority)
        self._tickets[ticket.id] = ticket
        return ticket

    def get(self, ticket_id: str) -> Ticket | None:
        return self._tickets.get(ticket_id)

    def open_count(self) -> int:
        return len(self._tickets)
