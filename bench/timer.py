"""Run one command and write its wall time, exit code, peak RSS and CPU time to a file.

    python -S bench/timer.py RESULT CMD [ARG ...]

RESULT gets one line: wall seconds, exit code, peak RSS in bytes, CPU seconds.

bench/run.py starts every measured command through this small process rather
than directly: Linux carries the high-water RSS of the image a process had
before ``exec`` into its ``ru_maxrss``, so a command spawned straight from the
runner (which holds corpora and results) would report at least the runner's
memory. This bare interpreter (``-S``, no imports beyond os, sys and time) is smaller than
any Python command measured, so the maxrss that ``os.wait4`` returns here is
the command's own peak. Wall time is taken around fork, exec and wait.
"""

import os
import sys
import time


def main() -> int:
    result, cmd = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    with open(result, "w", encoding="utf-8") as handle:
        handle.write(f"{wall!r} {os.waitstatus_to_exitcode(status)} {usage.ru_maxrss * 1024} "
                     f"{usage.ru_utime + usage.ru_stime!r}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
