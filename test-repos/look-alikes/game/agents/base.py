import random
from collections import deque


class Agent:
    """A trader on the grid. Remembers the last five cells it visited."""

    def __init__(self, name: str, x: int, y: int, tokens: int = 10):
        self.name = name
        self.pos = (x, y)
        self.tokens = tokens
        self.memory = deque(maxlen=5)

    def step(self, world) -> None:
        self.memory.append(self.pos)
        options = [c for c in world.neighbours(self.pos) if c not in self.memory]
        self.pos = random.choice(options or [self.pos])
