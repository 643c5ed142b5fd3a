"""Read transcripts from Cloud Storage (no model calls)."""

from __future__ import annotations

import os

from google.cloud import storage

BUCKET = os.environ.get("TRANSCRIPT_BUCKET", "meeting-transcripts-dev")
_client: storage.Client | None = None


def _bucket() -> storage.Bucket:
    global _client
    if _client is None:
        _client = storage.Client()
    return _client.bucket(BUCKET)


def read_transcript(name: str) -> str:
    blob = _bucket().blob(name)
    if not blob.exists():
        raise FileNotFoundError(name)
    return blob.download_as_text(encoding="utf-8")


def write_summary(name: str, summary: str) -> str:
    target = f"summaries/{name.rsplit('/', 1)[-1]}.md"
    _bucket().blob(target).upload_from_string(summary, content_type="text/markdown")
    return target
