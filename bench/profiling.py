"""Where govern's time goes: cProfile of one run, and import times of a cold start.

    python bench/profiling.py                   # check over /tmp/govern-bench/1000
    python bench/profiling.py --size 10000 --command portfolio --top 40
    python bench/profiling.py --messy 0.6       # the messy corpus and its first file with a schema error

Prints the top entries by cumulative and by own time (``tottime``) of
``python -m cProfile -m govern COMMAND DIR --format json``, grouped per govern
module as well, the same for a cold single-manifest check, then the slowest
imports of that cold check (``python -X importtime``). The raw profile is kept in bench/out/ for
``python -m pstats`` or snakeviz.
"""

from __future__ import annotations

import argparse
import io
import os
import pstats
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402
import run  # noqa: E402


def profile(args: argparse.Namespace, target: str, cwd: str, size: int) -> None:
    messy = f"-messy-{args.messy:g}" if args.messy else ""
    out = os.path.join(args.out, f"profile-{args.command}-{size}{messy}.prof")
    cmd = [sys.executable, "-m", "cProfile", "-o", out, "-m", "govern", args.command, target, "--format", "json",
           "--as-of", args.as_of]
    subprocess.run(cmd[:1] + cmd[5:], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=run.ENV)
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=run.ENV)
    if done.returncode not in (0, 1):
        sys.exit(f"bench/profiling.py: govern failed: {done.stderr[-500:]}")
    stats = pstats.Stats(out)
    total = stats.total_tt
    print(f"## cProfile: govern {args.command} {target} ({size:,} manifests): {total:.3f} s in-profile "
          f"({total / size * 1000:.2f} ms/manifest; profiling overhead inflates this)\n")
    for key in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(out, stream=buffer).sort_stats(key).print_stats(args.top)
        body = buffer.getvalue()
        print(f"### top {args.top} by {key}\n\n```\n{body[body.index('   ncalls'):].rstrip()}\n```\n")
    per_module: dict[str, float] = defaultdict(float)
    for (file, _line, _name), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        per_module[module_of(file)] += tt
    print("### own time per module (tottime summed)\n")
    print("| module | s | ms / manifest | share |\n|---|---:|---:|---:|")
    for name, tt in sorted(per_module.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"| {name} | {tt:.3f} | {tt / size * 1000:.3f} | {tt / total:.0%} |")
    print(f"\nraw profile: {out}\n")


def module_of(file: str) -> str:
    if file.startswith("~") or file.startswith("<"):
        return "builtins / C"
    parts = file.replace(os.sep, "/").split("/")
    for anchor in ("govern", "site-packages"):
        if anchor in parts:
            i = len(parts) - 1 - parts[::-1].index(anchor)
            tail = parts[i + 1:] if anchor == "site-packages" else parts[i:]
            if anchor == "site-packages":
                return tail[0]
            return "/".join(tail)
    return "stdlib: " + parts[-1]


def importtime(file: str, cwd: str, top: int, as_of: str) -> None:
    cmd = [sys.executable, "-X", "importtime", "-m", "govern", "check", file, "--format", "json", "--as-of", as_of]
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=run.ENV)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        rows.append((int(cumulative), int(own), depth, name.strip()))
    top_level = sum(c for c, _o, depth, _n in rows if depth == 0)
    print(f"## -X importtime: cold `govern check FILE` imports {len(rows)} modules in "
          f"{top_level / 1000:.0f} ms\n")
    print("| module | depth | cumulative ms | own ms |\n|---|---:|---:|---:|")
    for cumulative, own, depth, name in sorted(rows, reverse=True)[:top]:
        print(f"| `{name}` | {depth} | {cumulative / 1000:.1f} | {own / 1000:.1f} |")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/tmp/govern-bench")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--command", default="check", choices=["check", "portfolio"])
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--as-of", default=generate.AS_OF.isoformat())
    parser.add_argument("--out", default=os.path.join(HERE, "out"))
    parser.add_argument("--messy", type=float, default=0.0, metavar="RATE",
                        help="profile the messy corpus of that rate (bench/generate.py --messy) instead of the clean one")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.corpus, exist_ok=True)
    cwd = args.corpus
    target = os.path.relpath(run.corpus(args.corpus, args.size, args.seed, args.messy), cwd)
    profile(args, target, cwd, args.size)
    if args.messy:
        one = os.path.relpath(run.first_messy_file(args.corpus, args.seed, args.messy), cwd)
    else:
        one = os.path.relpath(run.first_file(run.corpus(args.corpus, 1, args.seed)), cwd)
    profile(args, one, cwd, 1)
    importtime(one, cwd, args.top, args.as_of)
    return 0


if __name__ == "__main__":
    sys.exit(main())
