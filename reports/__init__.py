"""Reports a training manager reads and prints: a session's debrief, a trainee's progress, a
drill's cohort, a unit's cohort, who is where on a learning path, a room's rehearsal of the
incidents an instructor injected, and the pass certificate of a drill attempt.

Each is one self-contained HTML file (inline CSS and SVG charts, no script, nothing fetched),
laid out for A4 when printed; Chinese first, English on request.
"""

from reports.certificate import certificate
from reports.cohort import cohort_report
from reports.drill import drill_report
from reports.page import ReportError
from reports.path import path_report
from reports.rehearsal import rehearsal_report
from reports.session import session_report
from reports.trainee import trainee_report

__all__ = [
    "ReportError",
    "certificate",
    "cohort_report",
    "drill_report",
    "path_report",
    "rehearsal_report",
    "session_report",
    "trainee_report",
]
