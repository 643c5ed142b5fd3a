"""Plain helpers used by the helpdesk agents (no agent or model code here)."""
