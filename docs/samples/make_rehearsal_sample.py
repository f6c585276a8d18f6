"""The sample rehearsal report (docs/samples/report-rehearsal.html): a training room of five
desks on one records file, the hazard call thrown at the whole room from the instructor's
station, each clerk answering it their own way, and an exam desk that refuses it.

    python docs/samples/make_rehearsal_sample.py RECORDS_FILE

Each desk is driven as the window drives it (a session on its own clock, ticked every tenth of
a second); what each clerk does is written out here, step by step, as a trainee would.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desk.clock import ManualWall, SimClock  # noqa: E402
from desk.recording import open_record  # noqa: E402
from desk.session import DeskSession  # noqa: E402
from records.db import Records  # noqa: E402
from records.room import Room  # noqa: E402
from scoring.procedure import load_procedure  # noqa: E402
from sim.agents import make_agent  # noqa: E402
from sim.library import find_scenario  # noqa: E402


class Desk:
    def __init__(self, records: Records, sid: str, who: str, mode: str = "training") -> None:
        self.wall = ManualWall()
        loaded = find_scenario(sid, PROCEDURE.ids)
        self.session = DeskSession(loaded, PROCEDURE, 7, SimClock(self.wall), trainee=who,
                                   mode="exam" if mode == "exam" else "training")  # fmt: skip
        open_record(records, self.session, PROCEDURE, "zh")

    def wait(self, seconds: float) -> None:
        for _ in range(round(seconds * 10)):
            self.wall.advance(0.1)
            self.session.tick()

    def do(self, action: str, **args: str) -> None:
        self.wait(0.5)
        while self.session.busy:
            self.wait(0.5)
        self.session.do(action, args)

    def carry_on(self) -> None:
        """The rest of the session as a clerk who knows the procedure would do it."""
        clerk = make_agent("expert", 7)
        for _ in range(2000):
            if self.session.done:
                return
            while self.session.busy:
                self.wait(0.5)
            decision = clerk.decide(self.session.observe(), self.session.engine.answer_key())
            if decision is None:
                self.wait(1)
                continue
            self.session.do(decision.action, dict(decision.args))


PROCEDURE = load_procedure()


def main(db: str) -> None:
    with Records(db) as records:
        desks = {
            "张晓梅": Desk(records, "new_connection", "张晓梅"),
            "李建国": Desk(records, "new_connection", "李建国"),
            "王芳": Desk(records, "billing_dispute", "王芳"),
            "周杰": Desk(records, "billing_dispute", "周杰"),
            "赵敏": Desk(records, "new_connection", "赵敏", "exam"),
        }
        for d in desks.values():
            d.do("log_in")
            d.wait(3)
        Room(records, PROCEDURE).inject_all("hazard_call", by="T001")
        for d in desks.values():
            d.wait(1)
        # 张晓梅 answers at once and keeps them safe, rings the dispatch, tells her superior
        a = desks["张晓梅"]
        a.do("answer_phone")
        a.wait(3)
        a.do("say", reply="hazard_safety")
        a.do("call_dispatch")
        a.do("report_supervisor")
        # 李建国 lets it ring while he finishes a look-up, then gets it right
        b = desks["李建国"]
        b.do("check_system_status")
        b.wait(15)
        b.do("answer_phone")
        b.wait(3)
        b.do("say", reply="hazard_safety")
        b.wait(20)
        b.do("call_dispatch")
        # 王芳 takes the details first: the form before the person (a red line)
        c = desks["王芳"]
        c.do("answer_phone")
        c.wait(3)
        c.do("say", reply="hazard_register")
        c.wait(10)
        c.do("say", reply="hazard_safety")
        # 周杰 answers late, soothes "it happens all the time", then puts it right
        d = desks["周杰"]
        d.wait(25)
        d.do("answer_phone")
        d.wait(5)
        d.do("say", reply="hazard_soothe")
        d.wait(8)
        d.do("say", reply="hazard_insist_safety")
        for name, desk in desks.items():
            if name != "赵敏":
                desk.carry_on()
            desk.session.finish()
            desk.session.end_record()


if __name__ == "__main__":
    main(sys.argv[1])
