import pygame

CELL = 40


class World:
    def __init__(self, width: int, height: int):
        self.width, self.height = width, height

    def neighbours(self, pos):
        x, y = pos
        cells = [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)]
        return [(i, j) for i, j in cells if 0 <= i < self.width and 0 <= j < self.height]

    def draw(self, screen, agents) -> None:
        screen.fill((20, 20, 30))
        for agent in agents:
            x, y = agent.pos
            pygame.draw.circle(screen, (240, 200, 60), (x * CELL + CELL // 2, y * CELL + CELL // 2), 12)
