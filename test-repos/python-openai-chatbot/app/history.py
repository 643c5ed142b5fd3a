"""In-memory conversation buffer, one per session id."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class Turn:
    role: str
    content: str
    at: float = field(default_factory=time.time)


class HistoryStore:
    def __init__(self, max_turns: int = 12, ttl_seconds: int = 1800) -> None:
        self._max_turns = max_turns
        self._ttl = ttl_seconds
        self._sessions: dict[str, deque[Turn]] = {}
        self._lock = threading.Lock()

    def append(self, session_id: str, role: str, content: str) -> None:
        with self._lock:
            turns = self._sessions.setdefault(session_id, deque(maxlen=self._max_turns))
            turns.append(Turn(role, content))

    def messages(self, session_id: str) -> list[dict[str, str]]:
        with self._lock:
            self._expire()
            turns = self._sessions.get(session_id, ())
            return [{"role": t.role, "content": t.content} for t in turns]

    def clear(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def _expire(self) -> None:
        now = time.time()
        stale = [
            sid
            for sid, turns in self._sessions.items()
            if turns and now - turns[-1].at > self._ttl
        ]
        for sid in stale:
            del self._sessions[sid]
