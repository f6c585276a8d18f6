"""A realistic roster for the tests and the samples: clerks of Nanjing's halls (营业厅) and
supply stations (供电所) with Chinese names, staff ids, teams, jobs and hire dates — a seeded
draw, the same every time for the same seed.

``python -m records.sample_roster --n 200 --out 名册.xlsx`` (or ``.csv``) writes one.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from records.rows import PersonRow

__all__ = ["UNITS", "sample_roster", "write_roster"]

# the centre's units: the city's halls and the outer districts' supply stations, with weights
UNITS: tuple[tuple[str, int], ...] = (
    ("鼓楼营业厅", 24),
    ("玄武营业厅", 20),
    ("秦淮营业厅", 20),
    ("建邺营业厅", 18),
    ("雨花台营业厅", 14),
    ("栖霞营业厅", 16),
    ("江宁供电所", 22),
    ("浦口供电所", 18),
    ("六合供电所", 16),
    ("溧水供电所", 14),
    ("高淳供电所", 12),
)
# the commonest surnames, roughly as often as they are met
_SURNAMES = (
    "王" * 9 + "李" * 9 + "张" * 8 + "刘" * 7 + "陈" * 7 + "杨" * 5 + "黄" * 4 + "赵" * 4
    + "吴" * 4 + "周" * 4 + "徐" * 4 + "孙" * 3 + "马" * 3 + "朱" * 3 + "胡" * 3 + "郭" * 2
    + "何" * 2 + "林" * 2 + "高" * 2 + "罗" * 2 + "郑" * 2 + "梁" * 2 + "谢" + "宋" + "唐" + "许"
    + "韩" + "冯" + "邓" + "曹" + "彭" + "曾" + "肖" + "田" + "董" + "潘" + "袁" + "蔡" + "蒋"
    + "余" + "于" + "杜" + "叶" + "程" + "魏" + "苏" + "吕" + "丁" + "沈" + "任" + "姚" + "卢"
    + "钟" + "姜" + "崔" + "谭" + "陆" + "范" + "汪" + "廖" + "石" + "金" + "韦" + "贾" + "夏"
    + "顾" + "殷" + "季" + "葛"
)  # fmt: skip
_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文辉建华晨曦宇航子涵浩然欣怡雨桐"
    "思远梓萱嘉怡俊杰志强晓梅海燕婷婷佳琪一鸣博文昊天诗涵梦瑶雅静玉兰春华国庆卫东建军立新"
    "晓东丹丹倩倩鑫蕾琳颖蓉昕悦璐瑾瑜睿哲煜晗钰彤萌阳帆凯斌毅峰亮健鹏宁红燕慧洁琴"
)
_TEAMS = ("受理一班", "受理二班", "综合班")
_SENIOR = "营业班长"
_CLERK = "用电客户受理员"
_CHECKER = "业务核查员"


def _name(rng: random.Random) -> str:
    surname = rng.choice(_SURNAMES)
    if rng.random() < 0.35:
        return surname + rng.choice(_GIVEN)
    return surname + rng.choice(_GIVEN) + rng.choice(_GIVEN)


def sample_roster(n: int = 200, seed: int = 2026, today: date | None = None) -> list[PersonRow]:
    """``n`` clerks: about a quarter hired in the last four months (the onboarding cohort),
    the rest over the last twelve years; one team leader per unit."""
    rng = random.Random(seed)
    today = today or date.today()
    units = [u for u, _ in UNITS]
    weights = [w for _, w in UNITS]
    names: set[str] = set()
    out: list[PersonRow] = []
    leaders: set[str] = set()
    staff_no = 3201_0000 + rng.randrange(100, 900)
    for _ in range(n):
        name = _name(rng)
        while name in names:  # a register may hold two 张伟; this one keeps names apart
            name = _name(rng)
        names.add(name)
        unit = rng.choices(units, weights)[0]
        new = rng.random() < 0.27
        days = rng.randrange(5, 125) if new else rng.randrange(130, 12 * 365)
        hired = today - timedelta(days=days)
        if unit not in leaders and not new:
            job = _SENIOR
            leaders.add(unit)
        else:
            job = _CHECKER if rng.random() < 0.08 and not new else _CLERK
        team = "综合班" if job == _SENIOR else rng.choice(_TEAMS[:2] if new else _TEAMS)
        staff_no += rng.randrange(1, 40)
        out.append(
            PersonRow(
                id=str(staff_no), name=name, unit=unit, team=team, job=job,
                hire_date=hired.isoformat(),
            )
        )  # fmt: skip
    return out


def write_roster(people: Sequence[PersonRow], out: str | Path) -> Path:
    """The roster as a workbook (``.xlsx``, as HR hands it on) or CSV, Chinese headers."""
    path = Path(out)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "人员名册"
        sheet.append(["序号", "工号", "姓名", "所属单位", "班组", "岗位", "入职日期"])
        for i, p in enumerate(people, start=1):
            hired = date.fromisoformat(p.hire_date) if p.hire_date else None
            sheet.append([i, p.id, p.name, p.unit, p.team, p.job, hired])
            sheet.cell(row=i + 1, column=7).number_format = "yyyy-mm-dd"
        book.save(path)
        return path
    from records.roster import write_roster_csv

    path.write_text(write_roster_csv(people), encoding="utf-8-sig")
    return path


def _main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    write_roster(sample_roster(args.n, args.seed), args.out)


if __name__ == "__main__":
    _main()
