"""Channels: thin adapters between people (web chat, Telegram) and the Rasa server."""
