"""Redline: a self-hosted news-alert bot for Slack and Discord."""

__version__ = "0.1.0"
