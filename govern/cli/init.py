"""``govern init``: a manifest skeleton that validates, to fill in."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from govern.core.errors import EXIT_OK, GovernError

SKELETON = """\
# A govern initiative manifest. Fill in every field, then run: govern check initiative.yaml
# Reference: docs/reference/manifest.md (every field), and `govern rules` / `govern explain RULE`.
apiVersion: govern/v1
kind: Initiative
metadata:
  id: DEPT-2026-001              # unique across the portfolio
  name: Name of the service
  department: dept
  phase: discovery               # discovery | alpha | beta | live | retired
accountability:
  senior_responsible_owner: {name: Full Name, email: sro@example.gov}
  service_owner:            {name: Full Name, email: service.owner@example.gov}
  information_asset_owner:  {name: Full Name, email: iao@example.gov}
  security_lead:            {name: Full Name, email: security.lead@example.gov}
  approvals: []                  # - {board: ..., date: YYYY-MM-DD, decision: approved, phase: alpha}
service:
  public_facing: true
  users: [citizens]              # citizens | businesses | staff | other-public-bodies
  channels: [web]                # web | mobile-app | phone | face-to-face | post | email | api
data:
  classification: OFFICIAL       # OFFICIAL | SECRET | TOP SECRET
  personal_data: false
privacy:
  dpia: {status: not-started}    # not-started | in-progress | completed | not-required
security:
  encryption: {at_rest: true, in_transit: true}
accessibility:
  wcag_target: "2.2-AA"
risks: []                        # - {id: R1, title: ..., category: ..., owner: {...}, inherent: {...}, residual: {...}}
extensions: {}
"""


def skeleton() -> str:
    return SKELETON


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    init = subparsers.add_parser("init", help="print a valid manifest skeleton to fill in")
    init.add_argument("--output", metavar="FILE", help="write the skeleton to FILE (never overwrites)")
    init.set_defaults(func=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    from govern.cli.output import write_atomic

    text = skeleton()
    if args.output:
        if os.path.exists(args.output):
            raise GovernError(f"{args.output} already exists; govern init never overwrites a file")
        write_atomic(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK
