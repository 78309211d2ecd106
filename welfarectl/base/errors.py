"""Refusals: what the core raises when it cannot do what was asked (never for bad data, which is
returned as problems). The message is for the person who asked; the exit code is the command's.

One runner in the CLI turns every `Refusal` into its message and exit code, so commands do not
repeat try/except.
"""

from __future__ import annotations


class Refusal(Exception):
    """The operation cannot be done as asked; the message says why, in English and, given `it`,
    in Italian (the runner prints the one of the run's language). Exit code 1."""

    exit_code = 1

    def __init__(self, message: str, it: str | None = None) -> None:
        super().__init__(message)
        self.en, self.it = message, it

    def message(self, lang: str = "en") -> str:
        """The message in `lang` ("en" or "it"); English where no Italian was given."""
        return self.it if lang == "it" and self.it is not None else self.en

    def __reduce__(self):
        # Whole across processes (a booklet worker's refusal reaches the parent pickled): both
        # languages and whatever a subclass keeps, whatever its constructor takes.
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(kind: type[Refusal], args: tuple, state: dict) -> Refusal:
    refusal = Exception.__new__(kind)
    refusal.args = args
    refusal.__dict__.update(state)
    return refusal


class UsageError(Refusal):
    """The request itself is wrong (a path that cannot be written, a directory that is not a
    network, an unknown company id). Exit code 2, like other usage errors."""

    exit_code = 2


class NetworkHasErrors(Refusal):
    """The network does not validate, so nothing is issued, printed or published from it.
    `problems` are all the network's problems, warnings included, as `validate` counts them."""

    def __init__(self, problems: list) -> None:
        super().__init__("the network has errors: fix them first (`welfarectl validate` lists them)",
                         "la rete ha errori: correggili prima (li elenca `welfarectl validate`)")
        self.problems = problems
