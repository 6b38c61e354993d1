"""Branching channel scenarios."""
