"""Thin client for the internal orders API (no model calls here)."""

from __future__ import annotations

import os

import httpx

ORDERS_API = os.getenv("ORDERS_API_URL", "http://orders.internal:8080")


def fetch_order(order_id: str) -> dict:
    resp = httpx.get(f"{ORDERS_API}/v1/orders/{order_id}", timeout=5.0)
    if resp.status_code == 404:
        return {"order_id": order_id, "status": "not_found"}
    resp.raise_for_status()
    data = resp.json()
    return {
        "order_id": order_id,
        "status": data.get("status", "unknown"),
        "eta": data.get("estimated_delivery"),
        "carrier": data.get("carrier"),
    }
