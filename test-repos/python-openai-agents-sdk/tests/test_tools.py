from tools.directory import lookup_employee
from tools.tickets import TicketStore, priority_from_text
from tools.text import one_line


def test_lookup_is_case_insensitive():
    assert lookup_employee("Ana.Silva@example.com").team == "Payments"


def test_priority():
    assert priority_from_text("Laptop broken, demo at 3") == "high"
    assert priority_from_text("new mouse please") == "normal"


def test_ticket_ids_increment():
    store = TicketStore()
    assert store.open("a", "x@example.com").id == "IT-1001"
    assert store.open("b", "x@example.com").id == "IT-1002"


def test_one_line():
    assert one_line("  a\n\n b  ") == "a b"
