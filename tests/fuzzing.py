"""What the property-based tests share: hypothesis settings that keep CI stable, the strategies
that mutate a file, and the one property every command holds: only problems, refusals and clean
exits, never a traceback.

The default profile runs few examples, derandomized, so CI sees the same inputs every run; set
WELFARECTL_FUZZ=thorough for many more, random ones, or WELFARECTL_FUZZ=hunt for many without
shrinking (the first crash as found, quickly) when hunting for crashes.
"""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import Result
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from networks import run_welfarectl

settings.register_profile("ci", max_examples=15, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=400, deadline=None, derandomize=False,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("hunt", max_examples=200, deadline=None, derandomize=False, report_multiple_bugs=False,
                          phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("WELFARECTL_FUZZ", "ci"))

CLEAN_EXITS = frozenset(range(0, 11))  # 0 done, 1 refused or problems, 2 usage, 3-9 verdicts, 10 held back


def run_clean(*args: object, home: Path, stdin: str | None = None) -> Result:
    """`welfarectl ARGS`, asserting the property: it ends with one of its documented exit codes
    and prints no traceback. An exception it lets through fails the test with its traceback
    (`run_welfarectl` does not catch them)."""
    done = run_welfarectl(*args, home=home, stdin=stdin)
    assert done.exit_code in CLEAN_EXITS, (done.exit_code, done.output)
    assert "Traceback" not in done.output, done.output
    return done


# --- byte-level mutations ---------------------------------------------------------------------------


@st.composite
def mutated_bytes(draw, original: bytes) -> bytes:
    """`original` with a few bytes flipped, inserted or deleted, or cut short."""
    data = bytearray(original)
    how = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
    if how == "truncate":
        return bytes(data[:draw(st.integers(0, max(len(data) - 1, 0)))])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif data:
            del data[at:at + draw(st.integers(1, 16))]
    return bytes(data)


# --- values as a careless hand or a spreadsheet writes them -------------------------------------------

texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "../x", "a/b", "a\\b", "CON", "nul.txt", "com1", ".hidden", "x\x00y", "é" * 70,
                     "2026-02-30", "31/12/2026", "1e309", "-0", "NaN", "yes", "~", "null", "\u202e", "👩‍⚕️",
                     "=1+1", "<b>x</b>", "{{ x }}", "%s", "a" * 300]),
)
numbers = st.one_of(st.integers(), st.integers(-(10**30), 10**30), st.sampled_from([0, -1, 2**31, 2**63, -(2**63), 10**400]),
                    st.floats(allow_nan=True, allow_infinity=True))
scalars = st.one_of(st.none(), st.booleans(), numbers, texts, st.dates())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(texts, inner, max_size=3)), max_leaves=6)
