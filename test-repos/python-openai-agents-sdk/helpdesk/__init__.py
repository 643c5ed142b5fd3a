"""IT helpdesk agents."""
