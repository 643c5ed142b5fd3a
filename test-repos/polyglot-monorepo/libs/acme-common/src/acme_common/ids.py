from ulid import ULID


def new_ticket_id() -> str:
    return f"T-{ULID()}"
