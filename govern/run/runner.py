"""One govern run: find files, load them, build the rules, evaluate, report.

This is the I/O edge around the pure engine. It reads files and returns a
``Report``; it never prints or exits (that is ``cli.py``'s job).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govern import __version__
from govern.core.engine import notice, portfolio_findings
from govern.core.errors import GovernError
from govern.core.loader import DEFAULT_MAX_FILE_SIZE
from govern.core.model import SEVERITY_RANK, Context, Finding, Rule
from govern.run.files import empty_paths, plan_files
from govern.run.spool import FindingStream, Spool, Tally, tally


@dataclass
class Options:
    """What a run was asked to do: the command line and configuration, resolved."""

    paths: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    as_of: dt.date | None = None
    appetite: str | None = None
    waivers: str | None = None
    fail_on: str = "error"
    plugins: list[str] = field(default_factory=list)
    no_plugins: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    config: dict[str, Any] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    examples: bool = False  # build rules' examples (govern test / explain)
    jobs: int | None = None  # processes checking files; None: every available core
    skip_non_govern: bool = False  # named files that are not govern documents are skipped (pre-commit)
    allow_empty: bool = False  # a path that yields no manifest is not an error (govern.run.files.empty_paths)
    config_file: str | None = None  # the configuration file used, None for the defaults (provenance)
    rule_settings: list[Any] = field(default_factory=list)  # config entries that switch rules off (govern.run.config)
    overrides: list[dict[str, Any]] = field(default_factory=list)  # severities the configuration changed (build_rules)
    not_run: list[dict[str, Any]] = field(default_factory=list)  # rules --only/--skip left out (build_rules)
    invocation: dict[str, Any] = field(default_factory=dict)  # the command line as given (govern.run.provenance)
    packs_folder: str | None = None  # replaces govern's bundled packs (govern migrate: a frozen version, --from-packs)
    # Given the run's rules, how the only format asked for writes one finding (govern.reporters.json_.rows,
    # govern.reporters.text.rows): forked workers then write their files' rows themselves, in parallel, and the
    # main process places them (govern.run.checking). Set only when nothing else reads the findings (no waivers,
    # no baseline, one format).
    rows: Any = None


@dataclass
class Report:
    """What a run found, for the reporters: findings, manifests, rules and provenance."""

    command: str
    as_of: dt.date
    findings: Any  # a FindingStream (govern.run.spool), or a list once waivers or a baseline marked them
    manifests: Any  # a Spool or a list of manifest facts, in file order
    rules: list[Rule]
    packs: list[dict[str, Any]] = field(default_factory=list)
    plugins: list[Any] = field(default_factory=list)
    appetite: Any = None
    inputs: dict[str, Any] = field(default_factory=dict)
    version: str = __version__
    registry: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
    waivers: list[Any] = field(default_factory=list)  # govern.run.waivers.WaiverOutcome per waiver applied
    profiles: Any = field(default_factory=list)  # portfolio: ((file, document), people and risks) in file order
    portfolio: Any = None  # govern.report.portfolio.Portfolio, built by `govern portfolio` for its reporters
    provenance: dict[str, Any] | None = None  # what the report was made from (govern.run.provenance)
    overrides: list[dict[str, Any]] = field(default_factory=list)  # severities the configuration changed
    not_run: list[dict[str, Any]] = field(default_factory=list)  # rules --only/--skip left out: "rules not run"
    notices: list[dict[str, str]] = field(default_factory=list)  # said once per run (RISK-APPETITE-DEFAULT)

    def tally(self) -> Tally:
        """Counts of the findings: kept as they were made when streamed, else counted now."""
        return self.findings.tally if isinstance(self.findings, FindingStream) else tally(self.findings)

    def summary(self) -> dict[str, int]:
        counts = self.tally()
        return {"manifests": len(self.manifests), "errors": counts.errors, "warnings": counts.warnings,
                "info": counts.info, "waived": counts.waived}

    def has_input_errors(self) -> bool:
        return self.tally().input_errors > 0

    def exit_code(self, fail_on: str) -> int:
        from govern.core.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK

        counts = self.tally()
        if counts.input_errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if counts.blocking >= SEVERITY_RANK.get(fail_on, 3) else EXIT_OK


# -- rules --------------------------------------------------------------------------


def selected(rule: Rule, only: list[str], skip: list[str]) -> bool:
    names = {rule.id, rule.domain, *rule.aliases}
    if only and not names.intersection(only):
        return False
    return not names.intersection(skip)


def build_rules(options: Options, registry: Any) -> tuple[list[Rule], list[GovernError], list[dict[str, Any]]]:
    from govern.policy.packs import load_packs

    rules: list[Rule] = []
    errors: list[GovernError] = list(registry.errors)
    packs: list[dict[str, Any]] = []
    for folder, plugin in registry.policy_paths:
        if plugin == "builtin" and options.packs_folder is not None:
            folder = Path(options.packs_folder)
        got, errs, meta = load_packs([folder], registry.functions, plugin, options.examples)
        rules += got
        errors += errs if plugin == "builtin" else [_plugin_pack_error(plugin, e) for e in errs]
        packs += meta
    if options.policies:
        got, errs, meta = load_packs([Path(p) for p in options.policies], registry.functions, "local", options.examples)
        rules += got
        errors += errs
        packs += meta
    rules += registry.rules
    # builtin first, then plugins, then --policies: a clash is blamed on the later one
    rules.sort(key=lambda r: 0 if r.source == "builtin" else 2 if r.source == "local" else 1)
    seen: dict[str, Rule] = {}
    unique = []
    for rule in rules:
        if rule.id in seen:
            where = rule.location or (f"<plugin {rule.source}>", 1, 1)
            if rule.source in ("builtin", "local"):
                errors.append(GovernError(f"rule {rule.id} is defined twice ({seen[rule.id].source} and {rule.source})", *where))
            else:
                errors.append(GovernError(f"plugin {rule.source}: rule {rule.id} is already defined by {seen[rule.id].source}; "
                                          "the plugin's rule is ignored", *where, rule="GOV-PLUGIN"))
            continue
        seen[rule.id] = rule
        unique.append(rule)
    from govern.run.config import refuse_switching_off

    refuse_switching_off(unique, options.rule_settings, options.only, options.skip)  # waivable: false stays on
    chosen = []
    options.overrides = []
    options.not_run = []
    packs_cfg = options.config.get("packs") or {}
    for rule in unique:
        if not selected(rule, options.only, options.skip):
            # an explicit run option, allowed for any rule, and listed on the board pack (semantics 8.8 item 7)
            options.not_run.append({"rule": rule.id, "title": rule.title})
            continue
        if rule.pack and (rule.pack in packs_cfg.get("disable", ()) or packs_cfg.get("enable") and rule.pack not in packs_cfg["enable"]):
            continue  # the `packs` configuration: enable only these packs / disable these
        override = options.severity.get(rule.id)
        if override and override != rule.severity:  # shown in every report: a changed severity is never silent
            options.overrides.append({"rule": rule.id, "title": rule.title, "default": rule.severity,
                                      "severity": override, "source": options.config_file})
        if override == "off":
            continue
        if override:
            import dataclasses

            rule = dataclasses.replace(rule, severity=override, severity_by_scope=())  # one severity for every body
        chosen.append(rule)
    options.overrides.sort(key=lambda o: o["rule"])
    chosen.sort(key=lambda r: r.id)
    return chosen, errors, packs


def _plugin_pack_error(plugin: str, error: GovernError) -> GovernError:
    """A broken pack shipped by a plugin is that plugin's failure."""
    return GovernError(f"plugin {plugin}: {error.message}", error.file, error.line, error.column, "GOV-PLUGIN", error.path)


def as_findings(errors: list[GovernError]) -> list[Finding]:
    return [notice(e.rule, e.message, e.file or "<input>", e.line, e.column, e.path) for e in errors]


def make_context(options: Options, registry: Any, as_of: dt.date | None = None, appetite: bool = True) -> Context:
    """The run context: date, configuration, appetite statement, plugin contributions.

    The statement is --appetite, else the `appetite` config key, else the bundled
    default; an invalid one raises ``govern.risk.appetite.AppetiteError`` (located).
    """
    ctx = Context(
        as_of=as_of or options.as_of or dt.date.today(),
        config=options.config,
        functions=registry.functions,
        extensions=registry.extensions,
    )
    if appetite:
        from govern.risk.appetite import appetite_for, appetite_set

        ctx.appetites = appetite_set(options)
        ctx.appetite = ctx.appetites.primary if ctx.appetites is not None else appetite_for(options)
    return ctx


def duplicate_ids(files: list[tuple[str, list[tuple[str | None, int, int]]]]) -> list[Finding]:
    """metadata.id is unique across a portfolio: a repeat is a GOV-SCHEMA error where it repeats.

    ``files``: (display path, [(metadata.id, line, column) per manifest]) in file order.
    """
    first: dict[str, tuple[str, int]] = {}
    findings = []
    for display, found in files:
        for ident, line, column in found:
            if ident is None:
                continue
            if ident in first:
                other_file, other_line = first[ident]
                message = f"metadata.id {ident!r} is also used by {other_file}:{other_line}"
                findings.append(notice("GOV-SCHEMA", message, display, line, column, "/metadata/id", ident))
            else:
                first[ident] = (display, line)
    return findings


def run_check(options: Options, command: str = "check", progress: Any = None) -> Report:
    """``progress(stage, done, total)``, when given, is called as files are checked."""
    from govern.run.checking import Job, check_files
    from govern.plugins.manager import load_for

    registry = load_for(options)
    rules, errors, packs = build_rules(options, registry)
    from govern.risk.appetite import AppetiteError, notice_findings, run_notices

    try:
        ctx = make_context(options, registry)
    except AppetiteError as exc:  # reported as GOV-INPUT in the statement; the RISK rules cannot run
        errors = errors + exc.problems
        ctx = make_context(options, registry, appetite=False)
        rules = [rule for rule in rules if rule.domain != "risk"]
    as_of = ctx.as_of
    findings = as_findings(errors)
    files, walked, keys = plan_files(options.paths)
    yielded: dict[tuple[Any, ...], int] = {}  # manifests and findings per file (--allow-empty)
    # Portfolio rules (RISK-009, RISK-010) run in `govern check` as in `govern portfolio`, with the
    # bundled statement as with a given one: both commands give the same totals for the same inputs,
    # and a check is never cleaner than the board pack made from the same manifests.
    run_portfolio_rules = any(rule.scope == "portfolio" for rule in rules)
    job = Job(rules, ctx, command, options.max_file_size, options.skip_non_govern,
              keep_slim=run_portfolio_rules or bool(options.waivers),
              row=options.rows(rules) if options.rows is not None and command == "check" and not options.waivers else None)
    stream = FindingStream()  # on disk as files are checked (govern.run.spool): memory stays flat
    stream.extend(findings)
    manifests = Spool()
    documents = Spool()  # slim: metadata, accountability and risks only
    profiles = Spool()  # portfolio: ((file, document), people and risks) in file order
    ids: list[tuple[str, list[tuple[str, int, int]]]] = []
    hashes: dict[str, str | None] = {}
    checked = check_files(files, job, options.jobs, progress)
    try:
        for (file, _), result in zip(files, checked):
            if result.skipped:
                continue
            yielded[keys[file]] = len(result.manifests) + result.count
            hashes[result.display] = result.sha256
            found = result.packed or result.findings
            stream.add_file(result.display, found, result.count, result.tally, result.ordered)
            manifests.add(result.manifests)
            documents.add(result.slim)
            profiles.add(result.profiles)
            if result.ids:
                ids.append((result.display, result.ids))
    finally:
        checked.close()  # workers stop now, however this loop ends (a signal, an error)
    stream.extend(duplicate_ids(ids))
    if not options.allow_empty:
        stream.extend(empty_paths(walked, keys, yielded, options.skip_non_govern))
    if run_portfolio_rules and ctx.appetites is not None:  # per statement, over the initiatives it judged (8.8 item 6)
        import dataclasses

        judged: dict[int, list[Any]] = {id(st): [] for st in ctx.appetites.statements}
        for doc in documents:
            chosen = ctx.appetites.for_data(doc.data)
            if chosen is not None:
                judged[id(chosen)].append(doc)
        for statement in ctx.appetites.statements:
            stream.extend(portfolio_findings(judged[id(statement)], rules, dataclasses.replace(ctx, appetite=statement)))
    elif run_portfolio_rules:
        stream.extend(portfolio_findings(documents, rules, ctx))
    if any(rule.domain == "risk" for rule in rules):
        for statement in ctx.appetites.statements if ctx.appetites is not None else [ctx.appetite]:
            stream.extend(notice_findings(statement))  # e.g. legacy level names, located in the statement
    findings = stream
    waiver_outcomes = []
    if options.waivers:
        from govern.run.waivers import apply_register

        # Waivers mark findings and manifests in place: this run holds them in memory.
        findings, manifests = list(stream), list(manifests)
        stream.close()
        notices, waiver_outcomes = apply_register(options.waivers, findings, rules, documents, manifests, as_of, options.max_file_size)
        findings += notices
        findings.sort(key=Finding.sort_key)
    report = Report(
        command=command,
        as_of=as_of,
        findings=findings,
        manifests=manifests,
        rules=rules,
        packs=packs,
        plugins=registry.plugins,
        appetite=ctx.appetite,
        registry=registry,
        waivers=waiver_outcomes,
        profiles=profiles,
        overrides=list(options.overrides),
        not_run=list(options.not_run),
        notices=run_notices(ctx.appetite) if any(rule.domain == "risk" for rule in rules) else [],
    )
    from govern.run.provenance import gather

    report.provenance = gather(options, report, hashes)
    return report
