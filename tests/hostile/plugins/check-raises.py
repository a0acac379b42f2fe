"""A rule whose check raises, and one whose check returns garbage: GOV-ENGINE, the other rules still run."""
from govern import hookimpl
from govern.core.model import Rule


def _boom(data, ctx):
    raise ZeroDivisionError("\x1b[2Jdivided by zero")


def _garbage(data, ctx):
    return [42, "not a violation"]


@hookimpl
def govern_rules():
    common = dict(domain="governance", severity="error", accountable="service_owner", rationale="r", remediation="r")
    return [Rule(id="HOSTILE-001", title="Raises", check=_boom, **common),
            Rule(id="HOSTILE-002", title="Returns garbage", check=_garbage, **common)]
