"""Build, persist and query the vector index."""

from __future__ import annotations

from llama_index.core import (
    Settings,
    SimpleDirectoryReader,
    StorageContext,
    VectorStoreIndex,
    load_index_from_storage,
)
from llama_index.core.node_parser import SentenceSplitter
from llama_index.embeddings.huggingface import HuggingFaceEmbedding
from llama_index.llms.openai import OpenAI

from .settings import RagSettings, settings

QA_PROMPT_SUFFIX = (
    "Answer only from the handbook excerpts. If the answer is not there, say "
    "'The handbook does not say.' Quote the section title you used."
)


def configure(cfg: RagSettings = settings) -> None:
    Settings.llm = OpenAI(model=cfg.llm_model, temperature=0.0)
    Settings.embed_model = HuggingFaceEmbedding(model_name=cfg.embed_model)
    Settings.node_parser = SentenceSplitter(
        chunk_size=cfg.chunk_size, chunk_overlap=cfg.chunk_overlap
    )


def build_index(cfg: RagSettings = settings) -> VectorStoreIndex:
    configure(cfg)
    documents = SimpleDirectoryReader(
        input_dir=str(cfg.data_dir), required_exts=[".md"], recursive=True
    ).load_data()
    index = VectorStoreIndex.from_documents(documents, show_progress=True)
    index.storage_context.persist(persist_dir=str(cfg.storage_dir))
    return index


def load_index(cfg: RagSettings = settings) -> VectorStoreIndex:
    configure(cfg)
    storage = StorageContext.from_defaults(persist_dir=str(cfg.storage_dir))
    return load_index_from_storage(storage)


def ask(question: str, cfg: RagSettings = settings) -> tuple[str, list[str]]:
    index = load_index(cfg)
    engine = index.as_query_engine(similarity_top_k=cfg.top_k)
    response = engine.query(f"{question}\n\n{QA_PROMPT_SUFFIX}")
    sources = sorted(
        {n.node.metadata.get("file_name", "?") for n in response.source_nodes}
    )
    return str(response), sources
