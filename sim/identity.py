"""Resident identity card numbers (公民身份号码, GB 11643): read, checked and made.

18 characters: a 6-digit region code (where the person was first registered, so it need not
match their address today), the 8-digit date of birth, a 3-digit sequence whose last digit is
odd for a man and even for a woman, and a check character computed from the other 17.
Scenario authors use this through ``run_sim.py lint`` and the tests: a number that fails its
check character would be refused by any real system, and a person's age and sex must be the
number's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = ["Identity", "IdentityError", "check_character", "read", "make", "age_on", "PROVINCES"]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")
# the first two digits: provinces, autonomous regions and municipalities (GB/T 2260)
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50,
     51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)  # fmt: skip


class IdentityError(ValueError):
    """A number that is not a valid identity card number, and why."""


@dataclass(frozen=True)
class Identity:
    number: str
    region: str
    born: date
    sequence: int
    sex: Literal["male", "female"]


def check_character(first17: str) -> str:
    """The check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def read(number: str) -> Identity:
    """The number's parts; ``IdentityError`` says what is wrong with a number that is not one."""
    n = number.strip().upper()
    if not _SHAPE.match(n):
        raise IdentityError(f"{number}: not 17 digits and a check character")
    if int(n[:2]) not in PROVINCES:
        raise IdentityError(f"{number}: {n[:2]} is no province's code")
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        raise IdentityError(f"{number}: {n[6:14]} is not a date") from None
    if n[17] != check_character(n[:17]):
        raise IdentityError(f"{number}: the check character should be {check_character(n[:17])}")
    sequence = int(n[14:17])
    return Identity(n, n[:6], born, sequence, "male" if sequence % 2 else "female")


def make(region: str, born: date, sequence: int) -> str:
    """A valid number: ``sequence`` odd for a man, even for a woman."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def age_on(born: date, day: date) -> int:
    """Whole years of age on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
