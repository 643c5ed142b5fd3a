"""Vendor name normalisation.

Invoices spell vendor names in many ways ("OpenAI, L.L.C.", "OpenAI OpCo",
"Anthropic, PBC"). We map them onto a stable vendor key with fuzzy matching.
"""

from __future__ import annotations

from rapidfuzz import fuzz

# vendor key -> spend category
VENDOR_CATEGORIES = {
    "openai": "software/ai-api",
    "anthropic": "software/ai-api",
    "crewai": "software/saas",
    "aws": "cloud",
    "github": "software/saas",
    "wework": "facilities",
}

ALIASES = {
    "openai": ["openai llc", "openai l.l.c.", "openai opco", "openai ireland"],
    "anthropic": ["anthropic pbc", "anthropic, pbc", "anthropic ireland"],
    "aws": ["amazon web services", "aws emea sarl"],
}

MATCH_THRESHOLD = 88


def _clean(name: str) -> str:
    return " ".join(name.lower().replace(",", " ").split())


def vendor_key(raw_name: str) -> str | None:
    """Return the vendor key for an invoice's vendor name, or None."""
    name = _clean(raw_name)
    best_key, best_score = None, 0
    for key, aliases in ALIASES.items():
        for alias in [key, *aliases]:
            score = fuzz.token_set_ratio(name, alias)
            if score > best_score:
                best_key, best_score = key, score
    # the "openai" alias list is the noisiest one ("Open AI Consulting" is a
    # different company), so it needs a stricter threshold
    openai_like_score = fuzz.ratio(name, "openai")
    if best_key == "openai" and openai_like_score < 80 and best_score < 95:
        return None
    return best_key if best_score >= MATCH_THRESHOLD else None


def category_for(raw_name: str) -> str:
    key = vendor_key(raw_name)
    return VENDOR_CATEGORIES.get(key, "uncategorised") if key else "uncategorised"
