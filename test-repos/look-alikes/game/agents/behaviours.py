def wander(agent, world) -> None:
    agent.step(world)


def trade(a, b) -> None:
    if a.tokens > b.tokens:
        a.tokens, b.tokens = a.tokens - 1, b.tokens + 1
