"""Run with `python game/main.py`: the `agents` package is this game's own."""

import pygame

from agents import Agent
from agents.behaviours import trade, wander
from agents.extensions import load_mods
from world import World


def main() -> None:
    pygame.init()
    screen = pygame.display.set_mode((640, 640))
    world = World(16, 16)
    mods = load_mods()
    agents = [Agent(f"agent-{i}", i, i) for i in range(8)]
    clock = pygame.time.Clock()
    running = True
    while running:
        for event in pygame.event.get():
            running = event.type != pygame.QUIT
        for agent in agents:
            wander(agent, world)
        for a, b in zip(agents, agents[1:]):
            if a.pos == b.pos:
                trade(a, b)
        world.draw(screen, agents)
        pygame.display.flip()
        clock.tick(10)


if __name__ == "__main__":
    main()
