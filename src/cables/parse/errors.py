"""The one exception the parser raises: the input holds no cable we can read."""


class ParseError(ValueError):
    """Raised when no cable can be read from an input; names the source and the reason."""

    def __init__(self, reason: str, source: str | None = None):
        self.reason = reason
        self.source = source
        super().__init__(f"{source}: {reason}" if source else reason)
