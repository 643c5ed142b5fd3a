from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class RagSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HANDBOOK_", env_file=".env")

    data_dir: Path = Path("data")
    storage_dir: Path = Path("storage")
    llm_model: str = "gpt-4o-mini"
    embed_model: str = "BAAI/bge-small-en-v1.5"
    chunk_size: int = 512
    chunk_overlap: int = 64
    top_k: int = 4


settings = RagSettings()
