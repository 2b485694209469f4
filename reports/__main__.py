"""``python -m reports``: the same as the ``report`` command."""

from .cli import entry

entry()
