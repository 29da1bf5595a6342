"""The command line's commands that stand above the codec (the network ones); the codec's own
commands are in ``mm7codec.__main__``, which is also the entry point."""

from .network import register

__all__ = ["register"]
