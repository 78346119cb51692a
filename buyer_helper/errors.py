"""The project's own error type: turned into a Chinese message at the CLI boundary."""


class BuyerHelperError(Exception):
    """An error the buyer can act on. `message` is Simplified Chinese, shown as is."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
