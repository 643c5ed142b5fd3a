"""Vendor matching tests.

Covers the tricky "openai" look-alikes mentioned in CHANGELOG 0.4.2.
"""

from spendwise.vendors import category_for, vendor_key


def test_openai_aliases():
    assert vendor_key("OpenAI, L.L.C.") == "openai"
    assert category_for("OpenAI OpCo") == "software/ai-api"


def test_anthropic_aliases():
    assert vendor_key("Anthropic, PBC") == "anthropic"


def test_unknown_vendor():
    assert category_for("Bakery Schmidt GmbH") == "uncategorised"
