from fastapi.testclient import TestClient

from app import main


def test_triage_returns_a_queue(monkeypatch):
    monkeypatch.setattr(main, "redact_pii", lambda text: text)
    monkeypatch.setattr(
        main.triage_graph, "invoke", lambda state: {"queue": "billing", "reason": "invoice"}
    )
    resp = TestClient(main.app).post("/triage", json={"subject": "VAT", "body": "wrong VAT"})
    assert resp.json()["queue"] == "billing"
