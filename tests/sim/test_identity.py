"""Identity card numbers read, checked and made as GB 11643 says."""

from __future__ import annotations

from datetime import date

import pytest

from sim.identity import IdentityError, age_on, check_character, make, read


def test_a_known_number_reads_with_its_parts() -> None:
    # the standard's own example: Beijing Chaoyang, born 31 Dec 1949, a woman, check X
    who = read("11010519491231002X")
    assert (who.region, who.born, who.sex) == ("110105", date(1949, 12, 31), "female")
    assert check_character("11010519491231002") == "X"


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110105194912310021", "check character should be X"),
        ("99010519491231002X", "no province"),
        ("11010519491331002X", "not a date"),
        ("1101051949123100", "not 17 digits"),
    ],
)
def test_a_wrong_number_says_why(number: str, why: str) -> None:
    with pytest.raises(IdentityError, match=why):
        read(number)


def test_made_numbers_read_back_with_the_sex_of_their_sequence() -> None:
    man = make("320104", date(1958, 4, 12), 123)
    woman = make("320106", date(1992, 3, 8), 124)
    assert read(man).sex == "male" and read(woman).sex == "female"
    assert age_on(date(1958, 4, 12), date(2026, 4, 11)) == 67
    assert age_on(date(1958, 4, 12), date(2026, 4, 12)) == 68
