"""Alerts: stories across outlets, summaries, and the neutral messages adapters render."""
