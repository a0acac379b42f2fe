"""The board pack's "Benefits" and "AI and algorithms" views: shaping on real manifest data, then the CLI.

The shaping (govern/report/views.py) is pure: profiles in, rows of text out. The CLI checks render real
portfolios: the sections appear exactly when a manifest records benefit measures or algorithmic tools,
in the HTML, markdown and terminal formats alike, with every value escaped.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from govern.report.views import BENEFIT_HEADERS, TOOL_HEADERS, assess, benefit_rows, measure_profile, tool_profile, tool_rows
from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 22)
BASE = ROOT / "policies" / "examples" / "base.yaml"


def measure(**fields) -> dict:
    """One measure as the checking worker keeps it, read from manifest data by ``measure_profile``."""
    return measure_profile({"benefits": {"measures": [{"name": "Claims made online", "unit": "percent", **fields}]}})[0]


def profiles(data: dict, initiative: str = "LBX-2026-001") -> tuple[list, dict]:
    people = [("benefit_owner", data.pop("_benefit_owner"))] if "_benefit_owner" in data else []
    key = ("a.yaml", 0)
    return ([(key, {"people": people, "risks": [], "measures": measure_profile(data), "tools": tool_profile(data)})],
            {key: {"initiative": initiative, "file": "a.yaml", "line": 3}})


# -- benefits: the latest actual against the plan for its date ------------------------------------


def test_no_actual_yet_and_later_actuals_are_not_counted() -> None:
    assert assess(measure(baseline=20, target=60), AS_OF)[2:] == ("no actual yet", "none")
    later = measure(baseline=20, target=60, actuals=[{"on": "2027-01-31", "value": 70}])
    latest, planned, status, state = assess(later, AS_OF)
    assert (latest, planned, state) == ("none recorded", "", "none")
    assert status == "no actual yet (1 dated after 2026-11-22 not counted)"


def test_actual_is_set_against_the_latest_trajectory_point_on_or_before_its_date() -> None:
    m = measure(baseline=20, target=60, by="2027-09-30",
                trajectory=[{"on": "2026-12-31", "value": 50}, {"on": "2026-03-31", "value": 30}, {"on": "2026-09-30", "value": 40}],
                actuals=[{"on": "2026-06-30", "value": 31}, {"on": "2026-10-15", "value": 38}, {"on": "2026-12-01", "value": 99}])
    latest, planned, status, state = assess(m, AS_OF)
    assert latest == "38% (2026-10-15)"  # 2026-12-01 is after the as-of date
    assert planned == "40% (2026-09-30)"  # not 2026-12-31, which is after the actual
    assert (status, state) == ("behind trajectory", "behind")
    ahead = measure(baseline=20, target=60, trajectory=[{"on": "2026-09-30", "value": 40}], actuals=[{"on": "2026-10-01", "value": 40}])
    assert assess(ahead, AS_OF)[2:] == ("on or ahead of trajectory", "ahead")


def test_a_target_below_the_baseline_means_lower_is_better() -> None:
    def days(value: float) -> tuple[str, str]:
        m = measure(unit="days", baseline=12, target=3, trajectory=[{"on": "2026-09-30", "value": 6}],
                    actuals=[{"on": "2026-09-30", "value": value}])
        return assess(m, AS_OF)[2:]

    assert days(5) == ("on or ahead of trajectory", "ahead")
    assert days(7.5) == ("behind trajectory", "behind")
    assert days(3) == ("target met", "met")
    big = measure(unit="GBP", baseline=1250000.0, target=900000, actuals=[{"on": "2026-09-30", "value": 1100000.5}])
    assert assess(big, AS_OF)[0] == "1100000.5 GBP (2026-09-30)"
    assert benefit_rows(*profiles({"benefits": {"measures": [{"name": "Cost", "unit": "GBP", "baseline": 1250000.0}]}}), AS_OF)[0].baseline == "1250000 GBP"


def test_once_the_target_date_has_passed_the_target_is_the_aim() -> None:
    m = measure(baseline=20, target=60, by="2026-06-30", trajectory=[{"on": "2026-03-31", "value": 30}],
                actuals=[{"on": "2026-09-30", "value": 55}])
    latest, planned, status, state = assess(m, AS_OF)
    assert planned == "60% (target, by 2026-06-30)" and (status, state) == ("behind target", "behind")
    met = measure(baseline=20, target=60, by="2026-06-30", actuals=[{"on": "2026-09-30", "value": 61}])
    assert assess(met, AS_OF)[2:] == ("target met", "met")


def test_nothing_to_compare_and_values_that_are_not_numbers_are_said_in_words() -> None:
    open_ = measure(baseline=20, target=60, actuals=[{"on": "2026-09-30", "value": 44.8}])
    assert assess(open_, AS_OF) == ("44.8% (2026-09-30)", "none on or before it", "not compared: nothing planned by then", "open")
    words = measure(unit=None, baseline="paper forms", target="online", trajectory=[{"on": "2026-01-01", "value": "pilot"}],
                    actuals=[{"on": "2026-02-01", "value": "pilot live"}])
    assert assess(words, AS_OF)[2:] == ("not compared: the values are not numbers", "text")
    flag = measure(baseline=True, target=60, trajectory=[{"on": "2026-01-01", "value": 30}], actuals=[{"on": "2026-02-01", "value": True}])
    assert assess(flag, AS_OF)[3] == "text"  # a boolean is not a number


def test_benefit_rows_name_the_measure_owner_else_the_initiative_benefit_owner() -> None:
    data = {"_benefit_owner": "Kim Lund", "benefits": {"measures": [
        {"name": "Moves reported online", "unit": "percent", "baseline": 41, "baseline_on": dt.date(2025, 2, 28),
         "owner": {"name": "Ruth Adeyemi", "email": "r@example.gov.uk"}},
        {"unit": "days", "baseline": 12},
        "not a measure",
    ]}}
    rows = benefit_rows(*profiles(data), AS_OF)
    assert [r.cells() for r in rows] == [
        ["LBX-2026-001", "Moves reported online", "41% (2025-02-28)", "none recorded", "", "Ruth Adeyemi", "no actual yet"],
        ["LBX-2026-001", "measure 2", "12 days", "none recorded", "", "Kim Lund (the initiative's benefit owner)", "no actual yet"],
    ]
    assert len(BENEFIT_HEADERS) == len(rows[0].cells())
    nobody = benefit_rows(*profiles({"benefits": {"measures": [{"name": "X"}]}}, initiative=None), AS_OF)
    assert nobody[0].owner == "unassigned" and nobody[0].initiative == "a.yaml:3" and nobody[0].baseline == "not given"


# -- AI and algorithms ------------------------------------------------------------------------------


def test_tool_rows_say_the_role_the_record_and_the_safeguards_in_words() -> None:
    data = {"algorithmic_tools": [
        {"name": "Triage model", "decision_role": "decision-support", "significant_decisions": True,
         "human_oversight": {"reference": "HO-1", "reviewer_can_override": False},
         "adm_safeguards": {"informed": True, "representations": False, "human_intervention": True, "contest": False},
         "bias_testing": {"completed_on": "2026-04-20", "reference": "BT-1"},
         "atrs": {"status": "published", "url": "https://www.gov.uk/algorithmic-transparency-records/x"}},
        {"name": "Chat assistant", "decision_role": "none", "atrs": {"status": "exempt", "exemption": "internal pilot"},
         "human_oversight": {"reviewer_can_override": True}, "adm_safeguards": {k: True for k in ("informed", "representations", "human_intervention", "contest")}},
        {"name": "Scorer", "decision_role": "solely-automated", "atrs": {"status": "published", "url": "http://insecure.example"}},
        {"decision_role": "something-else"},
        42,
    ]}
    rows = tool_rows(*profiles(data))
    assert len(rows) == 4 and len(TOOL_HEADERS) == len(rows[0].cells())
    triage, chat, scorer, unnamed = rows
    assert triage.role == "supports a human decision, with legal or similarly significant effects"
    assert (triage.atrs, triage.atrs_url) == ("published", "https://www.gov.uk/algorithmic-transparency-records/x")
    assert triage.safeguards == ("human oversight (HO-1), the reviewer cannot change the outcome; automated-decision safeguards "
                                 "missing: representations, contest (in place: people told, human intervention); bias tested 2026-04-20")
    assert chat.role == "no role in decisions" and chat.atrs == "exempt: internal pilot" and chat.atrs_url is None
    assert chat.safeguards == ("human oversight, the reviewer can change the outcome; automated-decision safeguards: all four in place; "
                               "no bias test recorded")
    assert scorer.atrs_url is None  # only an https address becomes a link
    assert scorer.safeguards == "no human oversight recorded; no automated-decision safeguards recorded; no bias test recorded"
    assert (unnamed.tool, unnamed.role, unnamed.atrs) == ("tool 4", "something-else", "no record")


# -- the CLI: the sections appear only with data ------------------------------------------------------


def portfolio(folder: Path, *formats: str) -> dict[str, str]:
    out = {}
    for fmt in formats:
        result = run_cli("portfolio", str(folder), "--as-of", AS_OF.isoformat(), "--format", fmt, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        out[fmt] = result.stdout
    return out


@pytest.fixture(scope="module")
def bundled() -> dict[str, str]:
    return portfolio(ROOT / "examples" / "portfolio", "html", "markdown", "table")


def test_bundled_portfolio_shows_both_views(bundled: dict[str, str]) -> None:
    page = bundled["html"]
    assert '<a href="#benefits">Benefits</a>' in page and '<a href="#algorithms">' in page  # in the contents
    assert '<h2 id="algorithms-h">AI and algorithms</h2>' in page
    benefits = page[page.index('id="benefits"'):page.index('id="algorithms"')]
    assert benefits.count("<tr>") == 22 + 1  # the header row and a row per measure of the example portfolio
    assert "68% (2026-09-30)" in benefits and "65% (2026-09-30)" in benefits and "on or ahead of trajectory" in benefits
    algorithms = page[page.index('id="algorithms"'):page.index('id="details"')]
    assert "DFG urgency triage model" in algorithms
    assert '<a href="https://www.gov.uk/algorithmic-transparency-records/dfg-urgency-triage">published</a>' in algorithms
    assert "Algorithmic Transparency Recording Standard (ATRS)" in algorithms
    order = [page.index(f'id="{a}"') for a in ("heatmaps", "benefits", "algorithms", "details")]
    assert order == sorted(order)
    assert "## Benefits" in bundled["markdown"] and "## AI and algorithms" in bundled["markdown"]
    assert "\nBenefits\n========" in bundled["table"] and "\nAI and algorithms\n=================" in bundled["table"]


def test_views_are_absent_without_measures_or_tools(tmp_path: Path) -> None:
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    data.pop("benefits", None)
    data.pop("algorithmic_tools", None)
    (tmp_path / "one.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = portfolio(tmp_path, "html", "markdown", "table")
    for text in out.values():
        assert "Benefits" not in text and "AI and algorithms" not in text
    assert 'id="benefits"' not in out["html"] and 'id="algorithms"' not in out["html"]


def test_only_the_view_with_data_appears(tmp_path: Path) -> None:
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))  # measures, no tools
    data.pop("algorithmic_tools", None)
    (tmp_path / "one.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    page = portfolio(tmp_path, "html")["html"]
    assert 'id="benefits"' in page and 'id="algorithms"' not in page


def test_view_values_are_escaped(tmp_path: Path) -> None:
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    data["benefits"]["measures"][0]["name"] = "<script>alert(1)</script>"
    data["benefits"]["measures"][0]["owner"] = {"name": "A & B <i>", "email": "a@example.gov.uk"}
    data["algorithmic_tools"] = [{"name": "\"'><b onmouseover=x>", "decision_role": "none",
                                  "atrs": {"status": "published", "url": "https://x.example/\"><script>"}}]
    (tmp_path / "hostile.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = portfolio(tmp_path, "html", "markdown")
    page = out["html"]
    assert "<script" not in page and "<b " not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "A &amp; B &lt;i&gt;" in page
    assert "&quot;&#x27;&gt;&lt;b onmouseover=x&gt;" in page
    assert 'href="https://x.example/&quot;&gt;&lt;script&gt;"' in page
    assert not re.search(r"<script|<b |<i>", out["markdown"])


def test_views_are_byte_reproducible(bundled: dict[str, str]) -> None:
    again = portfolio(ROOT / "examples" / "portfolio", "html")["html"]
    assert again == bundled["html"]
