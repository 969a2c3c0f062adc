"""Errors a user can act on. The CLI prints them as one line; nothing else reaches the user."""


class VantageError(Exception):
    """A failure with a message that names what is wrong and where."""


class InputError(VantageError):
    """The question, a flag or an input file is not usable."""


class ModelError(VantageError):
    """The model spec is unknown, its key is missing, or its endpoint cannot be reached."""


class SearchError(VantageError):
    """The search backend or its corpus is unusable."""
