"""``govern init``: a manifest skeleton that validates, to fill in.

The skeleton is valid against the initiative schema but never a passing manifest:
its placeholders (``govern.core.placeholders``) are recognised as unfilled, so a
team that forgets one gets a finding, not a pass of GOV-001 on "Full Name".
``--phase`` and ``--organisation`` fill in the team's situation; the first line
tells an editor with the YAML language server where the schema is, so mistakes
show as they are typed (docs/guides/editors.md).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from govern.core import placeholders as ph
from govern.core.phases import VOCABULARY
from govern.core.errors import EXIT_OK, GovernError

ORGANISATION_TYPES = ("central-government", "arms-length-body", "local-authority", "nhs", "police",
                      "devolved-administration", "other")
NATIONS = ("england", "wales", "scotland", "northern-ireland", "uk")

_HEAD = """\
# yaml-language-server: $schema={schema}
# A govern initiative manifest. Replace every placeholder, then run: govern check {output}
# Values still as written here (Full Name, DEPT-2026-001, ...) are findings until replaced.
# Rules: `govern rules`, `govern explain RULE`; fields: docs/reference/manifest.md; editors: docs/guides/editors.md.
apiVersion: govern/v1
kind: Initiative
metadata:
  id: {id}              # unique across the portfolio, e.g. DWP-2026-017
  name: {name}
  department: {department}
  phase: {phase}{phase_pad}# discovery | alpha | private-beta | public-beta | live | retired
{organisation}accountability:
  senior_responsible_owner: {{name: {person}, email: {sro}}}
  service_owner:            {{name: {person}, email: {service_owner}}}
  information_asset_owner:  {{name: {person}, email: {iao}}}
  security_lead:            {{name: {person}, email: {security_lead}}}
{approvals}service:
  public_facing: true
  users: [citizens]              # citizens | businesses | staff | other-public-bodies
  channels: [web]                # web | mobile-app | phone | face-to-face | post | email | api
data:
  classification: OFFICIAL       # OFFICIAL | SECRET | TOP SECRET
  personal_data: false
  # regime: uk-gdpr               # uk-gdpr | dpa-part-3 (law enforcement) | dpa-part-4 (intelligence services)
  # legal_power: the statute relied on, when lawful_basis is public_task (UK GDPR Art. 6(3))
privacy:
  dpia: {{status: not-started}}    # not-started | in-progress | completed | not-required
security:
  encryption: {{at_rest: true, in_transit: true}}
  # hosting: {{type: cloud}}                          # cloud | on-premises | third-party-managed
  # mfa: {{admins: true, staff: true, users: one-login}}  # by account type; users: true | false | one-login
  # incident_response_plan: {{reference: IRP-001, tested_on: YYYY-MM-DD}}  # the last exercise (SEC-006)
accessibility:
  wcag_target: "2.2-AA"
# Risks: one entry per risk. Scores use the board's appetite statement scale (`govern appetite`
# shows it; by default 1 = lowest to 5 = highest, score = likelihood x impact).
#   likelihood: how probable the risk is, 1 (rare) to 5 (almost certain)
#   impact:     how bad it would be, 1 (negligible) to 5 (severe)
#   inherent is the score before mitigations, residual the score with them in place; the residual
#   score is compared with the appetite for the risk's category.
#   review_by:  the date (YYYY-MM-DD) by which the owner looks at the risk again; a past date is a finding.
risks: []
#  - id: R1
#    title: What could happen, and what it would cause
#    category: technology        # a category of the appetite statement, e.g. technology, information, security
#    owner: {{name: {person}, email: {risk_owner}}}
#    inherent: {{likelihood: 4, impact: 3}}
#    residual: {{likelihood: 2, impact: 3}}
#    mitigations: [what is done to reduce it]
#    review_by: 2027-03-31
extensions: {{}}
"""


def skeleton(phase: str = "discovery", organisation: str | None = None, nation: str | None = None,
             schema: str = "", output: str = "initiative.yaml") -> str:
    """The skeleton for a team in ``phase``, at an ``organisation`` of that type (unset: asked or left out)."""
    return _HEAD.format(
        schema=schema,
        output=output,
        id=ph.ID,
        name=ph.NAME,
        department=ph.DEPARTMENT,
        phase=phase,
        phase_pad=" " * max(1, 24 - len(phase)),
        organisation=_organisation(organisation, nation),
        person=ph.PERSON,
        sro=ph.EMAILS["senior_responsible_owner"],
        service_owner=ph.EMAILS["service_owner"],
        iao=ph.EMAILS["information_asset_owner"],
        security_lead=ph.EMAILS["security_lead"],
        risk_owner=ph.EMAILS["risk_owner"],
        approvals=_approvals(phase),
    )


def _organisation(kind: str | None, nation: str | None) -> str:
    if kind is None and nation is None:
        return ("  # organisation: {type: central-government, nation: england}\n"
                f"  #   type: {' | '.join(ORGANISATION_TYPES)}\n"
                f"  #   nation: {' | '.join(NATIONS)}\n")
    fields = ", ".join(f"{key}: {value}" for key, value in (("type", kind), ("nation", nation)) if value)
    return f"  organisation: {{{fields}}}\n"


def _approvals(phase: str) -> str:
    """Board decisions: from alpha on, a rule (GOV-005) looks for the approval of the current phase."""
    if phase == "discovery":
        return "  approvals: []                  # - {board: ..., date: YYYY-MM-DD, decision: approved, phase: alpha}\n"
    return ("  approvals: []                  # GOV-005 looks for the board's approval of this phase:\n"
            f"  #  - {{board: Investment Committee, date: YYYY-MM-DD, decision: approved, phase: {phase}}}\n")


# -- the command ----------------------------------------------------------------------------

PHASES = VOCABULARY  # the initiative schema's (govern.core.phases); tests/cli/test_init.py compares


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:  # noqa: ARG001 - init reads no manifest
    init = subparsers.add_parser(
        "init", help="print a valid manifest skeleton to fill in",
        description="Print a manifest skeleton to fill in. Its placeholders are findings until replaced. Asks for "
        "the organisation type when run at a terminal without --organisation.",
    )
    init.add_argument("--output", metavar="FILE", help="write the skeleton to FILE (never overwrites)")
    init.add_argument("--phase", choices=PHASES, default="discovery", help="the initiative's phase (default: discovery)")
    init.add_argument("--organisation", choices=ORGANISATION_TYPES, metavar="TYPE",
                      help=f"the organisation type: {', '.join(ORGANISATION_TYPES)}")
    init.add_argument("--nation", choices=NATIONS, metavar="NATION", help=f"the nation: {', '.join(NATIONS)}")
    init.add_argument("--schema", metavar="URL|PATH",
                      help="where the editor finds the initiative schema (default: the installed file, "
                      "as `govern schema --path` prints it)")
    init.set_defaults(func=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    from govern.cli.output import terminal, write_atomic
    from govern.cli.schema import schema_path

    organisation = args.organisation
    if organisation is None and args.nation is None and terminal(sys.stdin) and terminal(sys.stderr):
        organisation = ask_organisation()
    text = skeleton(args.phase, organisation, args.nation, args.schema or str(schema_path("initiative")),
                    args.output or "initiative.yaml")
    if args.output:
        if os.path.exists(args.output):
            raise GovernError(f"{args.output} already exists; govern init never overwrites a file")
        write_atomic(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def ask_organisation() -> str | None:
    """Ask a person at a terminal which kind of body they work for (Enter or end of input: leave it out)."""
    choices = ", ".join(f"{i}) {name}" for i, name in enumerate(ORGANISATION_TYPES, 1))
    while True:
        print(f"Organisation type? {choices}; Enter to leave it out: ", end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline()
        if not answer.strip():
            return None
        answer = answer.strip()
        if answer.isdigit() and 1 <= int(answer) <= len(ORGANISATION_TYPES):
            return ORGANISATION_TYPES[int(answer) - 1]
        if answer in ORGANISATION_TYPES:
            return answer
        print(f"{answer!r} is not one of them.", file=sys.stderr)
