"""Tidings: a self-hosted news platform that reads the news for its user."""
