from .graph import build_graph

__all__ = ["build_graph"]
