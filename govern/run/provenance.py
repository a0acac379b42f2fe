"""Provenance: what a report was made from, so an auditor can check it later.

A board approves an initiative on the strength of a report; months later
someone must be able to say which govern, which policy packs, which
appetite statement, waiver register and configuration, and which version
of each manifest produced it. ``gather`` records all of that, with a
SHA-256 of every file, the git commit a manifest was checked at and whether
the file differed from it. ``govern verify`` (``govern.run.verify``) re-reads
the same files and re-runs the check to confirm it.

This is the I/O edge: it hashes files and asks ``git`` (a subprocess with a
list argv, never a shell, run once per repository, and only when the
manifest rows are written: a run without a JSON report never starts git).
A repository is input: git is asked only for commits and trees, with
options that stop its configuration running anything (``GIT_SAFETY``).
Everything it returns is sorted and free of clocks, hosts and absolute
paths the user did not give, so the same inputs give the same bytes.
"""

from __future__ import annotations

import functools
import os
import stat
from typing import Any

from govern.core.rows import Rows

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


def arguments_sha256(arguments: Any) -> str:
    """SHA-256 of the recorded command line's canonical JSON (sorted keys, no spaces).

    ``govern verify`` re-runs the check with these arguments, so an edit of one that changes no
    result (``no_plugins`` with no plugin installed) would reproduce itself; this checksum makes
    it a difference. It is no signature: whoever edits the arguments can recompute it.
    """
    import json

    from govern.core.loader import sha256

    text = json.dumps(arguments, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def file_sha256(path: str | os.PathLike | None) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read."""
    if not path:
        return None
    from govern.core.loader import sha256

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
    from govern.core.paths import display_path

    arguments = dict(getattr(options, "invocation", None) or invocation(options))
    arguments["skip_non_govern"] = bool(getattr(options, "skip_non_govern", False))
    arguments["allow_empty"] = bool(getattr(options, "allow_empty", False))
    waivers = getattr(options, "waivers", None)
    config = config_file(options)
    files = sorted(hashes)
    states: list[dict[str, Any]] = []  # git is asked only when the manifest rows are written (a JSON report)

    def row(file: str) -> dict[str, Any]:
        if not states:
            states.append(git_states(files))
        return {"file": file, "sha256": hashes[file], "git": states[0].get(file)}

    return {
        "govern_version": report.version,
        "command": report.command,
        "as_of": report.as_of.isoformat(),
        "arguments": arguments,
        "arguments_sha256": arguments_sha256(arguments),
        "packs": pack_entries(report.packs, getattr(report, "registry", None)),
        "plugins": plugin_entries(report.plugins),
        "appetite": appetite_entry(options),
        "waivers": {"file": display_path(waivers), "sha256": file_sha256(waivers),
                    "entries": waiver_entries(getattr(report, "waivers", []))} if waivers else None,
        "config": {"file": display_path(config), "sha256": file_sha256(config)} if config else None,
        "baseline": None,  # set by govern.run.baseline.apply_baseline
        # one entry per file, made as the report is written (a list of 100,000 dicts would be held whole)
        "manifests": Rows(files, row),
    }


BUILTIN_PREFIX = "builtin:"  # a file shipped with govern, named by its place in govern's policies/ folder


def installed_name(path: str | os.PathLike, registry: Any = None) -> str | None:
    """``builtin:privacy.yaml`` for a file shipped with govern, ``PLUGIN:FILE`` for one shipped with an
    installed plugin (relative to the folder it declares), else None (the user's own file).

    Where govern or a plugin is installed (a venv, site-packages) is no input of a check: two
    installations of the same versions must write the same bytes.
    """
    from govern.core.resources import policies_dir

    full = os.path.realpath(path)
    roots = [(BUILTIN_PREFIX, str(policies_dir()))]
    for folder, plugin in getattr(registry, "policy_paths", None) or []:
        info = registry.plugin(plugin) if hasattr(registry, "plugin") else None
        if plugin != "builtin" and info is not None and info.origin.startswith("entry point "):
            roots.append((f"{plugin}:", str(folder)))
    for prefix, root in roots:
        root = os.path.realpath(root)
        if full.startswith(root + os.sep):
            return prefix + os.path.relpath(full, root).replace(os.sep, "/")
    return None


def recorded_file(name: str | None) -> str | None:
    """The file a provenance ``file`` names: ``builtin:X`` is govern's own, ``PLUGIN:X`` one shipped with
    an installed plugin (found in the folder it declares now), any other a path as recorded."""
    if name and name.startswith(BUILTIN_PREFIX):
        from govern.core.resources import policies_dir

        relative = name[len(BUILTIN_PREFIX):]
        if relative and not os.path.isabs(relative) and ".." not in relative.split("/"):
            return str(policies_dir() / relative)
        return None
    plugin, colon, relative = (name or "").partition(":")
    if colon and not os.path.exists(name or "") and plugin in _installed_folders():
        if relative and not os.path.isabs(relative) and ".." not in relative.split("/"):
            return os.path.join(_installed_folders()[plugin], *relative.split("/"))
        return None
    return name


@functools.cache
def _installed_folders() -> dict[str, str]:
    """Each installed plugin's declared policy folder, as ``govern check`` would load them (verify reads a
    report's ``PLUGIN:FILE`` packs from there when it does not re-run the check)."""
    from govern.plugins.manager import load_plugins

    registry = load_plugins()
    folders: dict[str, str] = {}
    for folder, plugin in registry.policy_paths:
        info = registry.plugin(plugin)
        if plugin != "builtin" and info is not None and info.origin.startswith("entry point "):
            folders.setdefault(plugin, str(folder))
    return folders


def pack_entries(packs: list[dict[str, Any]], registry: Any = None) -> list[dict[str, Any]]:
    entries = []
    for p in packs:
        file = str(p.get("file", ""))
        entries.append({
            "name": str(p.get("name", "")),
            "version": str(p.get("version", "")) or None,
            "file": (installed_name(file, registry) if file else None) or file.replace(os.sep, "/"),
            "sha256": p.get("sha256"),
            "source": str(p.get("source", "")),
        })
    return sorted(entries, key=lambda p: (p["name"], p["file"]))


def plugin_sha256(path: str | os.PathLike) -> str | None:
    """SHA-256 of a ``--plugin`` file, or of a plugin package folder (every file's name and bytes), or None."""
    if not os.path.isdir(path):
        return file_sha256(path)
    from govern.core.loader import sha256

    digest = sha256()
    for root, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(names):
            if name.startswith(".") or name.endswith((".pyc", ".pyo")):
                continue
            full = os.path.join(root, name)
            relative = os.path.relpath(full, path).replace(os.sep, "/")
            digest.update(f"{relative}\0{file_sha256(full)}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def plugin_entries(plugins: list[Any]) -> list[dict[str, Any]]:
    """Name, version and origin of every plugin; a plugin file's SHA-256 too (it has no version to trust)."""
    entries = []
    for plugin in plugins:
        entry = {"name": plugin.name, "version": plugin.version or None, "origin": plugin.origin}
        if plugin.origin.startswith("file "):
            entry["sha256"] = plugin_sha256(plugin.origin[len("file "):])
        entries.append(entry)
    return sorted(entries, key=lambda p: (p["name"], p["origin"]))


def waiver_entries(outcomes: list[Any]) -> list[dict[str, Any]]:
    """Each valid waiver of the register with a SHA-256 of its content, so verify can name the one that changed."""
    import json

    from govern.core.loader import sha256

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
    from govern.core.paths import display_path

    try:
        from govern.risk.appetite import appetite_source

        path, default = appetite_source(options)
    except ImportError:  # pragma: no cover - appetite statements not built into this govern
        return None
    name = installed_name(path) if default else None  # the bundled statement: builtin:default-appetite.yaml
    return {"file": name or display_path(str(path)), "sha256": file_sha256(path), "default": bool(default)}


def config_file(options: Any) -> str | None:
    """The configuration file a run used, or None for govern's defaults."""
    value = getattr(options, "config_file", None)  # set by govern.run.config.apply_config
    return str(value) if value else None


# -- git ----------------------------------------------------------------------------------

# Configuration a repository may set to make git run a program, switched off for every call: git reads
# only commits and trees here (``rev-parse``, ``ls-tree``), never the index or the working tree, so no
# filter, fsmonitor or hook has a reason to run, and no remote may be asked for a missing object.
GIT_SAFETY = (
    "-c", "core.fsmonitor=false",
    "-c", f"core.hooksPath={os.devnull}",
    "-c", "protocol.allow=never",
    "-c", "core.pager=cat",
)


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


def _git(root: str, *argv: str) -> bytes | None:
    """stdout of ``git -C root argv...`` (a read-only plumbing command), or None when git is missing or refuses.

    A repository is input like any other: its configuration must not run a program. Only
    ``rev-parse`` and ``ls-tree`` are run (built-in commands, which an alias cannot replace), with
    ``GIT_SAFETY`` on the command line, where it overrides the repository's own configuration.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}  # a hook's GIT_INDEX_FILE etc.
    env["GIT_OPTIONAL_LOCKS"] = "0"  # never write the index
    env["GIT_LITERAL_PATHSPECS"] = "1"  # a file named `*.yaml` is that file, not a glob
    env["GIT_NO_LAZY_FETCH"] = "1"  # a partial clone never fetches a missing object (git >= 2.44)
    env["GIT_TERMINAL_PROMPT"] = "0"
    import subprocess  # only when a file sits in a git repository (a cold start outside one never pays for it)

    try:
        done = subprocess.run(
            ["git", "--no-pager", *GIT_SAFETY, "-C", root, *argv],
            capture_output=True, stdin=subprocess.DEVNULL, env=env, timeout=GIT_TIMEOUT, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout


def blob_id(path: str, algorithm: str) -> str | None:
    """The id git gives a blob of this file's bytes (``git hash-object`` without filters), or None."""
    import hashlib

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return hashlib.new(algorithm, b"blob %d\0" % len(data) + data).hexdigest()


def committed_blobs(root: str, commit: str, paths: list[str]) -> dict[str, str] | None:
    """path -> blob id of every one of ``paths`` the commit holds (as regular files), or None when git refuses."""
    blobs: dict[str, str] = {}
    for start in range(0, len(paths), GIT_BATCH):  # one call unless the command line would overflow
        got = _git(root, "ls-tree", "-z", "--full-tree", commit, "--", *paths[start:start + GIT_BATCH])
        if got is None:
            return None
        for entry in got.split(b"\0"):
            meta, tab, name = entry.partition(b"\t")
            fields = meta.split()
            if tab and len(fields) == 3 and fields[1] == b"blob":
                blobs[name.decode("utf-8", "surrogateescape")] = fields[2].decode("ascii", "replace")
    return blobs


def git_states(files: list[str]) -> dict[str, dict[str, Any] | None]:
    """For each file: ``{commit, dirty, tracked}`` when it sits in a git repository, else None.

    ``dirty`` means the file's bytes differ from that commit's (modified, staged, untracked
    or ignored: compared as git ids the bytes, without filters); ``tracked`` whether the
    commit holds the file at all. Git runs twice per repository, however many files it holds.
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
        head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        commit = head.decode("ascii", "replace").strip() if head else None
        if head is None and _git(root, "rev-parse", "--git-dir") is None:
            blobs: dict[str, str] | None = None  # not a repository git will read (unsafe owner, broken)
        elif commit is None:
            blobs = {}  # no commit yet: every file is new
        else:
            blobs = committed_blobs(root, commit, [rel for _, rel in members])
        algorithm = "sha256" if commit is not None and len(commit) == 64 else "sha1"
        for display, rel in members:
            if blobs is None:
                states[display] = None
                continue
            committed = blobs.get(rel)
            states[display] = {
                "commit": commit,
                "dirty": committed is None or committed != blob_id(display, algorithm),
                "tracked": committed is not None,
            }
    return states
