"""Market research crew."""
