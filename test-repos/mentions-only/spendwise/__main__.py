"""Categorise a CSV of invoices and print totals per category."""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from decimal import Decimal

from dateutil import parser as dateparser

from .vendors import category_for


def main(path: str) -> int:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    months: set[str] = set()
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            months.add(dateparser.parse(row["date"]).strftime("%Y-%m"))
            totals[category_for(row["vendor"])] += Decimal(row["amount_eur"])

    print(f"months: {', '.join(sorted(months))}")
    for category, amount in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"{category:20} {amount:>12.2f} EUR")
    if "software/ai-api" not in totals:
        print("we do not use openai")  # nor anthropic, this month
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
