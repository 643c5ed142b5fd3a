"""Tiny in-process stand-in for the employee directory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Employee:
    email: str
    name: str
    team: str
    laptop: str


_EMPLOYEES = {
    e.email: e
    for e in [
        Employee("ana.silva@example.com", "Ana Silva", "Payments", "ThinkPad T14 Gen 4"),
        Employee("jonas.weber@example.com", "Jonas Weber", "Platform", "MacBook Pro 14 M3"),
        Employee("li.wei@example.com", "Li Wei", "Design", "MacBook Air 15 M2"),
    ]
}


def lookup_employee(email: str) -> Employee | None:
    return _EMPLOYEES.get(email.strip().lower())
