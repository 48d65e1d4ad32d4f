"""Prompt templates (Jinja2, StrictUndefined), versioned per team. Filled in by the MCP prompts work."""
