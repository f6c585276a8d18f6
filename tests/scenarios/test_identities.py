"""Every identity card number in every scenario, rendered for every variant, is one a real system
would accept for that person (GB 11643): the check character right, a real region code, the sex
of the person who carries it and an age that fits the persona on the scenario's date.

How the test knows the person: a number on an ``id_card`` (or ``agent_id_card``) document
belongs to the name beside it; on the application, to the holder of the card it copies (or
slips from: an agent writes the account holder's number), else to the customer; in a line
said, to the person of ``OTHERS`` named before it in that line ("户主叫吴海燕，身份证号…"),
else to the customer. When that is the customer, the customer's persona says who they are: the
first personal pronoun of the English persona gives the sex (he/his/him, she/her), and the
Chinese persona's age (六十八岁, 三十出头, 四十来岁, 五十岁上下, 二十七八岁, 七旬) the age, to a
year either way. A number held by anyone else must be listed in ``OTHERS`` with that person's
sex and age. The one number allowed to fail its check is a realistic slip on the form: the
person's own valid number with one digit wrong or two neighbouring digits swapped (the check
character catches every such slip, so the clerk's check and the system both would).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sim.identity import IdentityError, age_on, read
from sim.library import scenario_files
from sim.scenario import Customer, Scenario, Variant, load_scenario

# the day the scenarios are set on (a date in 2026): ages are reckoned on it, a year either way
SCENARIO_DAY = date(2026, 6, 1)

NANJING = {
    "320102": "玄武区", "320104": "秦淮区", "320105": "建邺区", "320106": "鼓楼区",
    "320111": "浦口区", "320113": "栖霞区", "320114": "雨花台区", "320115": "江宁区",
    "320116": "六合区", "320117": "溧水区", "320118": "高淳区",
}  # fmt: skip
# people born elsewhere keep their birthplace's code (a mismatch with the address is normal)
BIRTHPLACES = {
    "341221": "安徽省临泉县",
    "321323": "江苏省泗阳县",
    "341122": "安徽省来安县",  # one_id_agent's neighbour 孙丽华, 安徽来安人
    "321283": "江苏省泰兴市",  # rooftop_solar's salesman 刘峰, 泰兴人
}
# numbers held by someone other than the customer: name -> (sex, age)
OTHERS: dict[str, tuple[str, int]] = {
    # one_id_agent: the holders whose cards the agents bring
    "周德明": ("male", 74),  # the son's persona: 七十四岁的父亲周德明
    "钱秀英": ("female", 83),  # the neighbour's persona: 八十三岁的钱秀英老人
    # rooftop_solar: the owners whose cards the agents bring
    "黄国平": ("male", 63),  # the tenant's landlord ("他的身份证"); the story gives no age
    "许桂兰": ("female", 70),  # the salesman's 许桂兰老人 ("her ID card")
    # personal_info: the holders whose numbers the clerk would leak
    "刘女士": ("female", 30),  # the landlord's tenant ("一个姓刘的", "她"); no age in the story
    "吴海燕": ("female", 43),  # the household the "policeman" asks about; no age in the story
}

CARDS = ("id_card", "agent_id_card")
ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}
TENS = r"[一二三四五六七八九]?十[一二三四五六七八九]?"


def _number(text: str) -> int:
    """二十 20, 六十八 68, 十五 15 (below a hundred)."""
    if "十" not in text:
        return DIGITS[text]
    tens, _, units = text.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)


def ages(persona: str) -> tuple[int, int] | None:
    """The ages a Chinese persona allows, or None when it states none."""
    forms: list[tuple[str, Any]] = [
        (
            r"([一二三四五六七八九]十)([一二三四五六七八九])([一二三四五六七八九])岁",
            lambda t, a, b: (_number(t + a), _number(t + b)),
        ),
        (rf"({TENS})岁?(?:上下|左右)", lambda a: (_number(a) - 3, _number(a) + 3)),
        (rf"({TENS})岁?出头", lambda a: (_number(a), _number(a) + 4)),
        (rf"({TENS})(?:多|来)岁", lambda a: (_number(a) - 1, _number(a) + 9)),
        (rf"({TENS})岁", lambda a: (_number(a), _number(a))),
        (r"([一二三四五六七八九])旬", lambda a: (_number(a) * 10, _number(a) * 10 + 9)),
    ]
    for pattern, span in forms:
        m = re.search(pattern, persona)
        if m is not None:
            low, high = span(*m.groups())
            return int(low), int(high)
    return None


def sex(persona_en: str) -> str | None:
    m = re.search(r"\b(he|his|him|himself|she|her|hers|herself)\b", persona_en, re.IGNORECASE)
    if m is None:
        return None
    return "female" if m.group(1).lower() in {"she", "her", "hers", "herself"} else "male"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def numbers(s: Scenario, v: Variant, c: Customer) -> Iterator[tuple[str, str, str]]:
    """(number, whose name it goes with, where) for every number in the customer's texts."""

    def fill(text: str) -> str:
        return v.fill(text, "zh")

    card_names = set()
    cards: dict[str, str] = {}  # the ID cards' numbers and their holders
    for d in c.documents:
        fields = {k: fill(x) for k, x in d.fields.items()}
        for k, x in fields.items():
            for n in ID.findall(x):
                yield n, fields.get("name", fill(c.name.zh)), f"{d.kind}.{k}"
        card_names.add(fields.get("name", ""))
        if d.kind in CARDS:
            for n in ID.findall(fields.get("id_number", "")):
                cards[n] = fields.get("name", fill(c.name.zh))
    app = {k: fill(x) for k, x in c.application.items()}
    for k, x in app.items():  # the form: the customer's own, or the card holder's it copies
        for n in ID.findall(x):
            whose = fill(c.name.zh)  # (the name on the form may be miswritten)
            for card, holder in cards.items():
                if n == card or slip_of(n, card):
                    whose = holder  # an agent writes the holder's number (or a slip of it)
            yield n, whose, f"application.{k}"
    rest = c.model_dump(mode="json", exclude={"documents", "application"})
    for text in _strings(rest):
        filled = fill(text)
        for m in ID.finditer(filled):
            yield m.group(), _named_before(filled[: m.start()], fill(c.name.zh)), "said"


def _named_before(text: str, customer: str) -> str:
    """Whose number a line quotes: the person of ``OTHERS`` named last before it in the same
    line ("户主叫吴海燕，身份证号…"), else the customer's own."""
    named = [(text.rfind(n), n) for n in OTHERS if n in text]
    return max(named)[1] if named else customer


def slip_of(wrong: str, right: str) -> bool:
    """Is ``wrong`` ``right`` with one digit wrong or two neighbouring digits swapped?"""
    if len(wrong) != len(right):
        return False
    diff = [i for i in range(len(right)) if wrong[i] != right[i]]
    if len(diff) == 1:
        return True
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and wrong[diff[0]] == right[diff[1]]
        and wrong[diff[1]] == right[diff[0]]
    )


def _parts(n: str) -> tuple[str, date, str] | None:
    """Region, birth date and sex as the digits say, check character or not."""
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return None
    return n[:6], born, "male" if int(n[16]) % 2 else "female"


def problems(s: Scenario) -> list[str]:
    found: list[str] = []
    for v in s.variants:
        for c in s.customers:
            name = v.fill(c.name.zh, "zh")
            seen = list(numbers(s, v, c))
            valid: dict[str, str] = {}
            for n, whose, where in seen:  # the cards' valid numbers
                try:
                    read(n)
                except IdentityError:
                    continue
                if not where.startswith("application."):
                    valid[whose] = n
            for n, whose, where in seen:
                at = f"{s.id}/{v.id}/{c.id} {where} {n}"
                try:
                    read(n)
                except IdentityError as e:
                    own = valid.get(whose)
                    if where.startswith("application.") and own and slip_of(n, own):
                        continue  # the form's realistic slip, which the check catches
                    found.append(f"{at}: {e} (and it is no slip of {whose}'s valid number)")
                parts = _parts(n)
                if parts is None:
                    continue
                region, born, number_sex = parts
                if region not in NANJING and region not in BIRTHPLACES:
                    found.append(f"{at}: {region} is no Nanjing district nor a listed birthplace")
                if whose == name:
                    want_sex = sex(v.fill(c.persona.en or "", "en"))
                    span = ages(v.fill(c.persona.zh, "zh"))
                else:
                    other = OTHERS.get(whose)
                    want_sex = other[0] if other else None
                    span = (other[1], other[1]) if other else None
                if want_sex is None or span is None:
                    found.append(f"{at}: {whose}'s sex or age is not stated (persona or OTHERS)")
                    continue
                if number_sex != want_sex:
                    found.append(f"{at}: a {number_sex}'s number for a {want_sex} {whose}")
                age = age_on(born, SCENARIO_DAY)
                if not span[0] - 1 <= age <= span[1] + 1:
                    found.append(f"{at}: aged {age} on {SCENARIO_DAY}, the persona says {span}")
    return found


SCENARIOS = [load_scenario(p).scenario for p in scenario_files()]
SOLD = ("network_outage", "new_connection", "peak_queue", "printer_jam", "system_fault")


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.id)
def test_every_identity_number_is_a_real_one_for_its_person(s: Scenario) -> None:
    assert problems(s) == []


@pytest.mark.parametrize(
    ("persona", "span"),
    [
        ("六十八岁的退休钳工", (68, 68)),
        ("三十出头，刚收了新房", (30, 34)),
        ("四十来岁，在建宁路开了家面馆", (39, 49)),
        ("五十岁上下，在城中村口", (47, 53)),
        ("二十七八岁，和爱人刚买了婚房", (27, 28)),
        ("三十五六岁的程序员", (35, 36)),
        ("年过七旬", (70, 79)),
        ("刚出差回来", None),
    ],
)
def test_ages_are_read_from_the_persona(persona: str, span: tuple[int, int] | None) -> None:
    assert ages(persona) == span


def test_a_slip_is_one_digit_or_two_neighbours() -> None:
    assert slip_of("320113199307154216", "320113199307152416") is True
    assert slip_of("320113199307452116", "320113199307152416") is False
    assert slip_of("320113199307125416", "320113199307152416") is True
    assert slip_of("320113199307152417", "320113199307152416") is True


AS_FOUND = Path(__file__).with_name("as_found") / "issue15"


def _as_found(sid: str) -> list[str]:
    return problems(load_scenario(AS_FOUND / f"{sid}.yaml").scenario)


def test_as_found_most_numbers_failed_their_check_character() -> None:
    found = [f for sid in SOLD for f in _as_found(sid) if "check character" in f]
    wrong = {f.split()[2] for f in found}
    assert len(wrong) >= 16, wrong


def test_as_found_new_connection_had_the_card_fail_and_the_slip_pass() -> None:
    found = _as_found("new_connection")
    # the card's number failed its check; the form's "slip" was the valid one
    assert any("id_card.id_number 320113199307154216" in f and "check" in f for f in found)
    assert any("id_card.id_number 320102199604231225" in f and "check" in f for f in found)


def test_as_found_peak_queue_gave_a_1977_womans_number_to_a_man() -> None:
    found = [f for f in _as_found("peak_queue") if "upgrader" in f and "320105197702114528" in f]
    assert any("a female's number for a male" in f for f in found)
    assert any("after_holiday_id_typo" in f and "aged 49" in f for f in found)
    # and to the woman in her thirties, a number of a woman of 49
    assert any("month_start_account" in f and "aged 49" in f for f in found)


def test_as_found_system_fault_used_district_codes_no_longer_in_use() -> None:
    found = _as_found("system_fault")
    assert any("320103 is no Nanjing district" in f for f in found)
    assert any("320124 is no Nanjing district" in f for f in found)
    assert any("elderly_heaters" in f and "aged 72" in f for f in found)
