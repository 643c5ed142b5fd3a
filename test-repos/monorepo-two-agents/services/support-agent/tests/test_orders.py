import httpx

from support_agent import orders


def test_not_found(monkeypatch):
    def fake_get(url, timeout):
        return httpx.Response(404, request=httpx.Request("GET", url))

    monkeypatch.setattr(orders.httpx, "get", fake_get)
    assert orders.fetch_order("1")["status"] == "not_found"
