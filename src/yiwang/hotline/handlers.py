"""Reactions to other contexts events."""
