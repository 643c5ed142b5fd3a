"""Chunking tests: no network, no model calls."""

from llama_index.core import Document
from llama_index.core.node_parser import SentenceSplitter

from handbook_rag.settings import RagSettings


def test_chunks_respect_size():
    cfg = RagSettings(chunk_size=64, chunk_overlap=8)
    splitter = SentenceSplitter(chunk_size=cfg.chunk_size, chunk_overlap=cfg.chunk_overlap)
    text = " ".join(f"Sentence number {i} about the leave policy." for i in range(60))
    nodes = splitter.get_nodes_from_documents([Document(text=text, metadata={"file_name": "x.md"})])
    assert len(nodes) > 1
    assert all(n.metadata["file_name"] == "x.md" for n in nodes)


def test_default_settings():
    cfg = RagSettings()
    assert cfg.top_k == 4
    assert cfg.chunk_overlap < cfg.chunk_size
