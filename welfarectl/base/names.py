"""Names that become file names: company ids (members/ID.xlsx, the booklet's and the cards'
files), the network's id (the folder of its signing keys). A name is safe when it is one file
name on every system: not empty, no folder separators or control characters, not hidden (a
leading dot), no character Windows forbids, no trailing dot or space (Windows drops them), and
not a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1-COM9, LPT1-LPT9, in any case and
with any extension: `con.xlsx` is the console there).
"""

from __future__ import annotations

from .errors import UsageError

WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                             *(f"lpt{n}" for n in range(1, 10))})
_FORBIDDEN = set('/\\<>:"|?*')


def file_name_flaw(name: str) -> tuple[str, str] | None:
    """Why `name` cannot be a file name (or the start of one) on every system, in English and
    Italian; None when it can."""
    if not name:
        return "it is empty", "è vuoto"
    if any(ch in _FORBIDDEN or ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return ("it holds a folder separator, a control character or a character Windows forbids (/ \\ < > : \" | ? *)",
                "contiene un separatore di cartelle, un carattere di controllo o un carattere vietato da Windows "
                "(/ \\ < > : \" | ? *)")
    if name.startswith("."):
        return "it starts with a dot (a hidden file, or a parent folder)", "inizia con un punto (un file nascosto, o la cartella superiore)"
    if name.endswith((".", " ")):
        return "it ends with a dot or a space, which Windows drops", "finisce con un punto o uno spazio, che Windows toglie"
    if name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_DEVICES:
        return (f"Windows keeps the name {name.split('.', 1)[0].upper()} for a device",
                f"Windows riserva il nome {name.split('.', 1)[0].upper()} a un dispositivo")
    return None


def check_file_name(name: str, what: str, what_it: str) -> str:
    """`name` when it is safe as a file name; a usage error naming `what` (e.g. "company id")
    and why otherwise."""
    flaw = file_name_flaw(name)
    if flaw is not None:
        raise UsageError(f"{what} {name!r} cannot be used in a file name: {flaw[0]}",
                         f"{what_it} {name!r} non si può usare in un nome di file: {flaw[1]}")
    return name
