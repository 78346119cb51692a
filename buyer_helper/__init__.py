"""buyer-helper: a command-line assistant for buyers whose online order went wrong."""

__version__ = "0.1.0"
