"""Messages a newcomer can act on (issue 18, item 4), through the real command line.

Each case takes the clean example manifest, makes one slip a person makes (a misspelt
key or value, a date written the British way, an email or web address in the wrong
form) and checks that the slip is reported once: exactly one finding, a GOV-SCHEMA
error at the slip's own line, saying what to write instead. Rules that would read the
slipped value add nothing (one root cause, one finding), and a misspelt key is not also
reported as missing. No message shows a regular expression.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govern.testing import run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "policies" / "examples" / "base.yaml"
AS_OF = ["--as-of", "2026-11-22"]

# (what the clean manifest says, what the person wrote instead, what the message must say)
SLIPS = [
    # misspelt keys: at the key, with the key meant
    ("  senior_responsible_owner:      {", "  senior_responsible_ownr:       {", 'did you mean "senior_responsible_owner"?'),
    ("  id: LBX-2025-008", "  idd: LBX-2025-008", 'unknown key "idd" (did you mean "id"?)'),
    ("  classification: OFFICIAL", "  clasification: OFFICIAL", 'did you mean "classification"?'),
    ("privacy:\n", "privcy:\n", 'unknown top-level key "privcy" (did you mean "privacy"?)'),
    ("{name: Tomasz Nowak, email:", "{name: Tomasz Nowak, emial:", 'unknown key "emial" (did you mean "email"?)'),
    ("  phase_since: 2026-01-12", "  phase_snce: 2026-01-12", 'did you mean "phase_since"?'),
    ("    review_by: 2027-01-31", "    reviewby: 2027-01-31", 'did you mean "review_by"?'),
    ("  statement_url: https", "  statment_url: https", 'did you mean "statement_url"?'),
    ('  wcag_target: "2.2-AA"', '  wcag_targt: "2.2-AA"', 'did you mean "wcag_target"?'),
    # dates in the wrong form: the form and an example, the person's own date when it can be read
    ("  phase_since: 2026-01-12", "  phase_since: 12/01/2026", "write dates as YYYY-MM-DD, e.g. 2026-01-12"),
    ("    review_by: 2027-02-16", "    review_by: 2027-02-30", "is not a real date; write dates as YYYY-MM-DD"),
    ("    review_by: 2027-01-31", "    review_by: 31/01/2027", "write dates as YYYY-MM-DD, e.g. 2027-01-31"),
    ("date: 2026-01-06, decision", "date: 2026-1-6, decision", "write dates as YYYY-MM-DD, e.g. 2027-03-31"),
    ("{completed_on: 2026-03-09, tester", "{completed_on: March 2026, tester", "write dates as YYYY-MM-DD"),
    # email addresses and web addresses
    ("email: h.okoro@lbx.example.gov}\n  service_owner", "email: h.okoro at lbx.example.gov}\n  service_owner",
     "is not an email address; write an email address as name@domain, e.g."),
    ("statement_url: https://lbx.example.gov/council-tax/accessibility",
     "statement_url: lbx.example.gov/council-tax/accessibility", "write a full web address starting with https://"),
    # misspelt values of a list of allowed values
    ("decision: approved, phase: live", "decision: aproved, phase: live", 'did you mean "approved"?'),
    ("{rating: green,", "{rating: gren,", 'did you mean "green"?'),
    ("  users: [citizens, staff]", "  users: [citizens, staf]", 'did you mean "staff"?'),
    ("outcome: fully-compliant", "outcome: fully-complaint", 'did you mean "fully-compliant"?'),
]


def findings(tmp_path: Path, text: str) -> tuple[int, list[dict]]:
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "m.yaml", *AS_OF, "--format", "json", "--no-plugins", cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


def test_the_clean_manifest_has_no_findings(tmp_path):
    assert findings(tmp_path, BASE.read_text(encoding="utf-8")) == (0, [])


@pytest.mark.parametrize(("clean", "slip", "says"), SLIPS, ids=[slip[1].strip()[:40] for slip in SLIPS])
def test_one_slip_is_one_finding_at_its_own_line_saying_what_to_write(tmp_path, clean, slip, says):
    text = BASE.read_text(encoding="utf-8")
    assert clean in text
    text = text.replace(clean, slip, 1)
    line = text[: text.index(slip)].count("\n") + 1 + slip[: len(slip) - len(slip.lstrip("\n"))].count("\n")
    code, found = findings(tmp_path, text)
    assert code == 1
    assert [(f["rule"], f["line"]) for f in found] == [("GOV-SCHEMA", line)], found
    message = found[0]["message"]
    assert says in message, message
    assert "^" not in message and "[0-9]" not in message, message  # never a regular expression


def test_an_unknown_key_is_reported_at_the_key_itself(tmp_path):
    text = BASE.read_text(encoding="utf-8").replace(
        "{name: Tomasz Nowak, email:", "{name: Tomasz Nowak, emial:", 1
    )
    code, found = findings(tmp_path, text)
    line = next(i for i, each in enumerate(text.splitlines(), 1) if "emial" in each)
    column = text.splitlines()[line - 1].index("emial") + 1
    assert [(f["line"], f["column"], f["path"]) for f in found] == [
        (line, column, "/accountability/security_lead/emial")
    ]


def test_a_key_with_nothing_close_lists_the_keys_allowed_there(tmp_path):
    text = BASE.read_text(encoding="utf-8").replace("  gmpp: false\n", "  gmpp: false\n  colour: blue\n", 1)
    code, found = findings(tmp_path, text)
    assert [f["rule"] for f in found] == ["GOV-SCHEMA"]
    assert found[0]["message"] == (
        'governance: unknown key "colour" (the keys allowed here are gmpp, delivery_confidence'
        + found[0]["message"].split("delivery_confidence", 1)[1]
    )
    assert "did you mean" not in found[0]["message"]


def test_a_misspelt_phase_is_still_checked_as_in_its_gravest_phase(tmp_path):
    """Correcting a slip never makes a manifest look cleaner: ``metadata.phase`` is not corrected."""
    text = BASE.read_text(encoding="utf-8").replace("  phase: live\n", "  phase: lve\n", 1)
    code, found = findings(tmp_path, text)
    schema = [f for f in found if f["rule"] == "GOV-SCHEMA"]
    assert len(schema) == 1 and 'did you mean "live"?' in schema[0]["message"], schema


PACK = """\
apiVersion: govern/v1
kind: PolicyPack
metadata: {name: local, version: "1.0.0", domain: governance}
rules:
  - id: LOCAL-001
    title: Phase date is recent
    severity: warning
    rationale: A phase that began long ago needs a fresh look.
    remediation: Review the phase and record when it began.
    function: date_recent
    with:
      path: /metadata/phase_since
      {option}
    examples:
      pass: [{manifest: {}}]
      fail: [{manifest: {}}]
"""


@pytest.mark.parametrize(
    ("option", "says"),
    [
        ("month: 12", "unknown option 'month' (did you mean 'months'? it takes path, months, days, not_before,"),
        ("mising: ignore", "unknown option 'mising' (did you mean 'missing'? it takes path, months"),
        ("colour: blue", "unknown option 'colour' (it takes path, months, days, not_before, missing"),
    ],
)
def test_an_unknown_check_function_option_lists_the_options_it_takes(tmp_path, option, says):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "local.yaml").write_text(PACK.replace("{option}", option), encoding="utf-8")
    (tmp_path / "m.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("check", "m.yaml", *AS_OF, "--policies", "packs", "--no-plugins", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"local.yaml:13:7  ERROR  GOV-INPUT  rule LOCAL-001: options for date_recent: {says}" in result.stdout, result.stdout


def test_a_pack_with_a_misspelt_rule_key_says_which_key_was_meant(tmp_path):
    (tmp_path / "packs").mkdir()
    pack = PACK.replace("{option}", "months: 12").replace("    severity: warning", "    severity: warning\n    titel: x")
    (tmp_path / "packs" / "local.yaml").write_text(pack, encoding="utf-8")
    (tmp_path / "m.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("check", "m.yaml", *AS_OF, "--policies", "packs", "--no-plugins", cwd=tmp_path)
    assert result.returncode == 2
    expected = 'local.yaml:8:5  ERROR  GOV-INPUT  invalid PolicyPack: rules[0]: unknown key "titel" (did you mean "title"?)'
    assert expected in result.stdout, result.stdout


def test_the_messages_reference_page_describes_them():
    page = (ROOT / "docs" / "reference" / "messages.md").read_text(encoding="utf-8")
    for phrase in ("did you mean", "write dates as YYYY-MM-DD", "one root cause", "GOV-SCHEMA"):
        assert phrase in page
