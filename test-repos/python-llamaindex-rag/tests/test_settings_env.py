from handbook_rag.settings import RagSettings


def test_env_override(monkeypatch):
    monkeypatch.setenv("HANDBOOK_TOP_K", "7")
    assert RagSettings().top_k == 7
