"""The Learn part of the kit: module texts, questions, the practice trainer and the private
store of reflection answers.

Imports run one way: ``model`` (where the content lives and what shape it has) below the
engines ``texts``, ``quiz`` and ``trainer``, with ``checks`` (the ``alliance-kit check``
entries) on top. ``reflections`` stands alone, beside them. Nothing here imports a page.
"""
