"""Check functions of the security pack (SEC rules).

Only what a JSON Schema cannot say cleanly lives here: one rule whose
violations carry different severities (MFA, open pen-test findings), and a
field that is either a bare scheme name or a certificate with an expiry date
compared with the run date. Date windows use ``core.date_recent``.
"""

from __future__ import annotations

from typing import Any

from govern.core.checks import CheckFunction, add_months, as_date, check_function, dotted, get, personal_data
from govern.core.defaults import DEFAULTS, setting
from govern.core.model import Violation

FUNCTIONS: dict[str, CheckFunction] = {}

_SEVERITY = {"enum": ["error", "warning", "info"]}


ONE_LOGIN = "one-login"  # GOV.UK One Login: counts as MFA for members of the public


@check_function(
    FUNCTIONS,
    "mfa_enforced",
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {"admins": _SEVERITY, "staff": _SEVERITY, "users": _SEVERITY},
    },
)
def mfa_enforced(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """MFA by account type: admins always, staff on cloud hosting, the public where personal data is processed.

    ``security.mfa`` is ``{admins, staff, users}`` or a bare boolean setting all three
    (docs/design/semantics.md 8.5, 8.8 item 4, 8.9 item 10). In the object form a missing key is
    "not recorded": ``admins`` missing counts as false; ``staff`` missing on cloud hosting is said
    as not recorded; ``users`` missing says nothing (offering MFA to the public is risk-based).
    ``users: one-login`` (GOV.UK One Login) counts as MFA.
    """
    mfa = get(data, "/security/mfa")
    if mfa is not None and not isinstance(mfa, (bool, dict)):
        # e.g. `mfa: "yes"` (a string in YAML 1.2): GOV-SCHEMA reports the type, this says what it means
        yield Violation("/security/mfa", f"security.mfa is {mfa!r}, which is not true, so MFA is not shown to be on",
                        options.get("admins", "error"))
        return
    audiences = [("admins", "privileged (admin) accounts", options.get("admins", "error"))]
    if get(data, "/security/hosting/type") == "cloud":
        audiences.append(("staff", "staff accounts on a cloud-hosted service", options.get("staff", "warning")))
    if personal_data(data):
        audiences.append(("users", "members of the public using a service that processes personal data",
                          options.get("users", "info")))
    for key, who, severity in audiences:
        path = "/security/mfa" if isinstance(mfa, bool) else f"/security/mfa/{key}"
        value = mfa if isinstance(mfa, bool) else mfa.get(key) if isinstance(mfa, dict) else None
        if value is True or (key == "users" and value == ONE_LOGIN):
            continue
        if value is False:
            advice = "; GOV.UK One Login counts (users: one-login)" if key == "users" else ""
            yield Violation(path, f"{dotted(path)} is false, so {who} have no multi-factor authentication{advice}", severity)
        elif key != "users":  # users not recorded: nothing (risk-based)
            yield Violation(path, f"{dotted(path)} is not recorded; {who} need multi-factor authentication", severity)


_NO_OPTIONS = {"type": "object", "additionalProperties": False, "properties": {}}


@check_function(FUNCTIONS, "incident_plan_exercised", _NO_OPTIONS)
def incident_plan_exercised(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """An incident response plan exists and was exercised within the configured months (default 12).

    ``security.incident_response_plan`` is ``{reference, tested_on}`` (evidence of exercise) or a bare
    boolean: missing or false is an error (no plan); ``true`` is a warning, a plan not evidenced as
    exercised; ``tested_on`` missing, after the run date, or older than ``security.incident_plan_months``
    of the configuration (govern default 12) is a warning (docs/design/semantics.md 8.5).
    """
    path = "/security/incident_response_plan"
    plan = get(data, path)
    if plan is None:
        yield Violation(path, "no incident response plan is recorded")
        return
    if plan is False or (isinstance(plan, dict) and plan.get("exists") is False):
        where = path if plan is False else f"{path}/exists"
        yield Violation(where, f"{dotted(where)} is false: there is no incident response plan")
        return
    if plan is True:
        yield Violation(path, "a plan is recorded (true) but not evidenced as exercised: record "
                        "{reference, tested_on} with the date of the last exercise", "warning")
        return
    if not isinstance(plan, dict):
        yield Violation(path, f"{dotted(path)} is {plan!r}, which does not show a plan")
        return
    months = setting(ctx, "security").get("incident_plan_months")
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:  # configuration already refused it
        months = DEFAULTS["security"]["incident_plan_months"]
    tested_path = f"{path}/tested_on"
    tested = as_date(plan.get("tested_on"))
    if tested is None:
        yield Violation(tested_path, f"{dotted(tested_path)} is not recorded: the plan is not evidenced as exercised", "warning")
    elif tested > ctx.as_of:
        yield Violation(tested_path, f"the exercise of {tested.isoformat()} is after the run date "
                        f"{ctx.as_of.isoformat()}, so it is not yet evidence", "warning")
    elif add_months(tested, months) < ctx.as_of:
        yield Violation(tested_path, f"the plan was last exercised on {tested.isoformat()}, more than {months} months "
                        f"before {ctx.as_of.isoformat()}", "warning")


@check_function(
    FUNCTIONS,
    "supplier_assurance_current",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["schemes"],
        "properties": {"schemes": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
    },
)
def supplier_assurance_current(data: Any, options: dict[str, Any], ctx: Any):
    """The supplier holds an accepted scheme whose certificate has not expired on the run date.

    ``security.supplier_assurance`` is a bare scheme name or ``{scheme, certificate_expires}``;
    a bare name has no expiry date, so it cannot show the certificate is current.
    """
    schemes = options["schemes"]
    accepted = ", ".join(schemes)
    path = "/security/supplier_assurance"
    value = get(data, path)
    if isinstance(value, str):
        scheme, scheme_path, expires = value, path, None
    elif isinstance(value, dict):
        scheme, scheme_path, expires = value.get("scheme"), f"{path}/scheme", value.get("certificate_expires")
    else:
        yield Violation(path, f"no supplier assurance is recorded (accepted schemes: {accepted})")
        return
    if not isinstance(scheme, str) or not scheme:
        yield Violation(scheme_path, f"{dotted(scheme_path)} is not recorded (accepted schemes: {accepted})")
    elif scheme not in schemes:
        yield Violation(scheme_path, f"scheme {scheme!r} is not an accepted scheme ({accepted})")
    if isinstance(value, str):
        message = f"only the scheme ({value}) is recorded, with no certificate_expires date to show it is current"
        yield Violation(path, message)
        return
    day = as_date(expires)
    expires_path = f"{path}/certificate_expires"
    if day is None:
        yield Violation(expires_path, f"{dotted(expires_path)} is not recorded")
    elif day < ctx.as_of:
        label = scheme if isinstance(scheme, str) and scheme else "supplier"
        message = f"the {label} certificate expired on {day.isoformat()}, before {ctx.as_of.isoformat()}"
        yield Violation(expires_path, message)


@check_function(
    FUNCTIONS,
    "open_findings",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["limits"],
        "properties": {
            "path": {"type": "string", "pattern": "^(/[^/]*)*$"},
            "limits": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": "^open_[a-z]+$"},
                "additionalProperties": _SEVERITY,
            },
        },
    },
)
def open_findings(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """Each ``open_<level>`` count of the pen test is zero; a count above zero fires with its own severity."""
    base = options.get("path", "/security/penetration_test")
    for key, severity in options["limits"].items():
        path = f"{base}/{key}"
        level = key.removeprefix("open_")
        count = get(data, path)
        if isinstance(count, bool) or not isinstance(count, int):
            yield Violation(path, f"{dotted(path)} is not recorded, so open {level} findings are unknown", severity)
        elif count > 0:
            noun = "finding is" if count == 1 else "findings are"
            yield Violation(path, f"{count} {level} {noun} still open ({dotted(path)}: {count})", severity)
