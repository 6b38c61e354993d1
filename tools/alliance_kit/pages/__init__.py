"""Voila pages: each module builds one page's widgets from the engines, in a few calls.

Notebooks stay thin: ``from alliance_kit.pages import trust; trust.show()``.
"""
