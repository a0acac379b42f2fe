"""Check functions of the security pack (SEC rules).

Only what a JSON Schema cannot say cleanly lives here: one rule whose
violations carry different severities (MFA, open pen-test findings), and a
field that is either a bare scheme name or a certificate with an expiry date
compared with the run date. Date windows use ``core.date_recent``.
"""

from __future__ import annotations

from typing import Any

from govern.core.checks import CheckFunction, as_date, check_function, dotted, get, personal_data, truthy
from govern.core.model import Violation

FUNCTIONS: dict[str, CheckFunction] = {}

_SEVERITY = {"enum": ["error", "warning", "info"]}


@check_function(
    FUNCTIONS,
    "mfa_enforced",
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {"admins": _SEVERITY, "users": _SEVERITY},
    },
)
def mfa_enforced(data: Any, options: dict[str, Any], ctx: Any):  # noqa: ARG001
    """MFA guards privileged access always, and user access when the public reach personal data.

    ``security.mfa`` is ``{users, admins}`` or a bare boolean meaning both.
    """
    mfa = get(data, "/security/mfa")
    audiences = [("admins", "privileged (admin) accounts", options.get("admins", "error"))]
    if personal_data(data) and truthy(data, "/service/public_facing"):
        audiences.append(("users", "users of a public service holding personal data", options.get("users", "warning")))
    if mfa is not None and not isinstance(mfa, (bool, dict)):
        # e.g. `mfa: "yes"` (a string in YAML 1.2): GOV-SCHEMA reports the type, this says what it means
        yield Violation("/security/mfa", f"security.mfa is {mfa!r}, which is not true, so MFA is not shown to be on")
        return
    for key, who, severity in audiences:
        if isinstance(mfa, bool):
            if not mfa:
                message = f"security.mfa is false, so {who} have no multi-factor authentication"
                yield Violation("/security/mfa", message, severity)
            continue
        path = f"/security/mfa/{key}"
        value = mfa.get(key) if isinstance(mfa, dict) else None
        if value is True:
            continue
        if value is False:
            yield Violation(path, f"{dotted(path)} is false, so {who} have no multi-factor authentication", severity)
        else:
            yield Violation(path, f"{dotted(path)} is not recorded; {who} need multi-factor authentication", severity)


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
