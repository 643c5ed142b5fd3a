from .base import Agent
from .behaviours import trade, wander

__all__ = ["Agent", "trade", "wander"]
