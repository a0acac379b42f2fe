"""Provenance: what a report was made from, so an auditor can check it later.

A board approves an initiative on the strength of a report; months later
someone must be able to say which govern, which policy packs, which
appetite statement, waiver register and configuration, and which version
of each manifest produced it. ``gather`` records all of that, with a
SHA-256 of every file, the git commit a manifest was checked at and whether
the file differed from it. ``govern verify`` (``govern.verify``) re-reads
the same files and re-runs the check to confirm it.

This is the I/O edge: it hashes files and asks ``git`` (a subprocess with a
list argv, never a shell, run once per repository). Everything it returns
is sorted and free of clocks, hosts and absolute paths the user did not
give, so the same inputs give the same bytes.
"""

from __future__ import annotations

import os
import stat
from typing import Any

from govern.spool import Rows

GIT_TIMEOUT = 30
GIT_BATCH = 2000  # paths per `git status` call

# The command-line inputs a check is re-run from (``govern verify``), as given.
ARGUMENTS = ("paths", "policies", "only", "skip", "appetite", "waivers", "config", "baseline",
             "plugins", "no_plugins", "max_file_size")
_LISTS = ("paths", "policies", "only", "skip", "plugins")


def invocation(args: Any) -> dict[str, Any]:
    """The inputs of a command line, as the user gave them (``cli.options_from`` stores this)."""
    out: dict[str, Any] = {}
    for name in ARGUMENTS:
        value = getattr(args, name, None)
        if name in _LISTS:
            out[name] = [str(v) for v in (value or [])]
        elif name == "no_plugins":
            out[name] = bool(value)
        elif name == "max_file_size":
            out[name] = value if isinstance(value, int) else None
        else:
            out[name] = str(value) if value else None
    return out


def file_sha256(path: str | os.PathLike | None) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read."""
    if not path:
        return None
    from govern.loader import sha256

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            return None
        digest = sha256(size=info.st_size)
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def gather(options: Any, report: Any, hashes: dict[str, str | None]) -> dict[str, Any]:
    """The ``provenance`` block of a report; ``hashes`` is every manifest file read -> SHA-256."""
    from govern.run import display_path

    arguments = dict(getattr(options, "invocation", None) or invocation(options))
    arguments["skip_non_govern"] = bool(getattr(options, "skip_non_govern", False))
    arguments["allow_empty"] = bool(getattr(options, "allow_empty", False))
    waivers = getattr(options, "waivers", None)
    config = config_file(options)
    states = git_states(sorted(hashes))
    return {
        "govern_version": report.version,
        "command": report.command,
        "as_of": report.as_of.isoformat(),
        "arguments": arguments,
        "packs": pack_entries(report.packs),
        "plugins": plugin_entries(report.plugins),
        "appetite": appetite_entry(options),
        "waivers": {"file": display_path(waivers), "sha256": file_sha256(waivers),
                    "entries": waiver_entries(getattr(report, "waivers", []))} if waivers else None,
        "config": {"file": display_path(config), "sha256": file_sha256(config)} if config else None,
        "baseline": None,  # set by govern.baseline.apply_baseline
        # one entry per file, made as the report is written (a list of 100,000 dicts would be held whole)
        "manifests": Rows(sorted(hashes), lambda f: {"file": f, "sha256": hashes[f], "git": states.get(f)}),
    }


def pack_entries(packs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    entries = [
        {
            "name": str(p.get("name", "")),
            "version": str(p.get("version", "")) or None,
            "file": str(p.get("file", "")).replace(os.sep, "/"),
            "sha256": p.get("sha256"),
            "source": str(p.get("source", "")),
        }
        for p in packs
    ]
    return sorted(entries, key=lambda p: (p["name"], p["file"]))


def plugin_entries(plugins: list[Any]) -> list[dict[str, Any]]:
    """Name, version and origin of every plugin; a plugin file's SHA-256 too (it has no version to trust)."""
    entries = []
    for plugin in plugins:
        entry = {"name": plugin.name, "version": plugin.version or None, "origin": plugin.origin}
        if plugin.origin.startswith("file "):
            file = getattr(plugin, "file", None) or plugin.origin[len("file "):]
            entry["sha256"] = file_sha256(file) if os.path.isfile(file) else None
        entries.append(entry)
    return sorted(entries, key=lambda p: (p["name"], p["origin"]))


def waiver_entries(outcomes: list[Any]) -> list[dict[str, Any]]:
    """Each valid waiver of the register with a SHA-256 of its content, so verify can name the one that changed."""
    import json

    from govern.loader import sha256

    entries = []
    for outcome in outcomes:
        waiver = outcome.waiver
        body = {key: getattr(waiver, key) for key in
                ("initiative", "rule", "path", "justification", "approved_by", "approved_on", "expires")}
        text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
        entries.append({
            "index": waiver.index, "initiative": waiver.initiative, "rule": waiver.rule, "path": waiver.path,
            "sha256": sha256(text.encode("utf-8")).hexdigest(),
        })
    return sorted(entries, key=lambda e: e["index"])


def appetite_entry(options: Any) -> dict[str, Any] | None:
    """The appetite statement a run reads: --appetite, the `appetite` config key, or the bundled default."""
    from govern.run import display_path

    try:
        from govern.appetite import appetite_source

        path, default = appetite_source(options)
    except ImportError:  # pragma: no cover - appetite statements not built into this govern
        return None
    return {"file": display_path(str(path)), "sha256": file_sha256(path), "default": bool(default)}


def config_file(options: Any) -> str | None:
    """The configuration file a run used, or None for govern's defaults."""
    value = getattr(options, "config_file", None)  # set by govern.config.apply_config
    return str(value) if value else None


# -- git ----------------------------------------------------------------------------------


def repository_root(folder: str) -> str | None:
    """The nearest folder upwards holding ``.git`` (a folder, or a file for worktrees/submodules)."""
    folder = os.path.abspath(folder)
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _git(root: str, *argv: str) -> str | None:
    """stdout of ``git -C root argv...``, or None when git is missing or refuses."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}  # a hook's GIT_INDEX_FILE etc.
    env["GIT_OPTIONAL_LOCKS"] = "0"  # never write the index while reading status
    env["GIT_LITERAL_PATHSPECS"] = "1"  # a file named `*.yaml` is that file, not a glob
    import subprocess  # only when a file sits in a git repository (a cold start outside one never pays for it)

    try:
        done = subprocess.run(
            ["git", "-C", root, *argv], capture_output=True, env=env, timeout=GIT_TIMEOUT, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "surrogateescape")


def git_states(files: list[str]) -> dict[str, dict[str, Any] | None]:
    """For each file: ``{commit, dirty, tracked}`` when it sits in a git repository, else None.

    ``dirty`` means the file's bytes differ from that commit (modified, staged,
    untracked or ignored); ``tracked`` whether the commit holds it at all. Git
    runs twice per repository, however many files it holds.
    """
    by_root: dict[str, list[tuple[str, str]]] = {}
    states: dict[str, dict[str, Any] | None] = {}
    for display in files:
        full = os.path.abspath(display)
        root = repository_root(os.path.dirname(full))
        if root is None:
            states[display] = None
            continue
        by_root.setdefault(root, []).append((display, os.path.relpath(full, root).replace(os.sep, "/")))
    for root, members in sorted(by_root.items()):
        head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
        status: str | None = ""
        for start in range(0, len(members), GIT_BATCH):  # one call unless the command line would overflow
            chunk = [rel for _, rel in members[start:start + GIT_BATCH]]
            got = _git(root, "status", "--porcelain=v1", "-z", "--ignored", "--untracked-files=all",
                       "--no-renames", "--", *chunk)
            status = None if got is None or status is None else status + got
        if status is None:
            for display, _ in members:
                states[display] = None
            continue
        changed: dict[str, str] = {}
        for entry in status.split("\0"):
            if len(entry) > 3:
                changed[entry[3:]] = entry[:2]
        commit = head.strip() if head else None
        for display, rel in members:
            code = changed.get(rel)
            states[display] = {
                "commit": commit,
                "dirty": code is not None or commit is None,
                "tracked": commit is not None and code not in ("??", "!!", "A ", "AM", "AD"),
            }
    return states
