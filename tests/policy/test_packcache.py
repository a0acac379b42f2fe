"""The pack cache cannot change a verdict (issue 13, item 15).

Each test builds a real cache with real runs, tampers with the file as someone who can
write the cache folder but not read the key could, and runs again: the verdict must be
the one an uncached run gives, no cached entry may be used, and the run must leave a
rebuilt, correctly signed cache behind.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govern.policy import packcache
from govern.core.resources import policies_dir

BASE = policies_dir() / "examples" / "base.yaml"
AS_OF = "2026-11-22"
# SEC-002 (admins without MFA) is an error: exit 1. Were the cache to say it is info, exit 0 (a cache
# that govern trusts unchecked does: the attack these tests replay).
KNOWN = BASE.read_text(encoding="utf-8").replace("mfa: {admins: true, staff: true, users: true}",
                                              "mfa: {admins: false, staff: true, users: true}")

PROBE = """
import sys
from govern.policy import packcache
from govern.cli.app import main
code = main(sys.argv[1:])
sys.stdout.flush()
print("\\nCACHE-HITS", len(packcache._state.get("used", ())))
sys.exit(code)
"""


def env_for(tmp_path: Path, **more: str) -> dict[str, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_STATE_HOME": str(tmp_path / "state")}
    env.pop("GOVERN_NO_CACHE", None)
    return {**env, **more}


def run(tmp_path: Path, *, version: str | None = None, **more: str) -> tuple[int, str, int]:
    """(exit code, JSON report, pack files served from the cache) of a real `govern check` of known.yaml."""
    code = PROBE if version is None else PROBE.replace("from govern.policy import packcache",
                                                       f"import govern\ngovern.__version__ = {version!r}\n"
                                                       "from govern.policy import packcache")
    args = ["check", "known.yaml", "--as-of", AS_OF, "--no-plugins", "--format", "json"]
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, env=env_for(tmp_path, **more),
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    report, hits = result.stdout.rsplit("\nCACHE-HITS ", 1)
    return result.returncode, report, int(hits)


@pytest.fixture
def cached(tmp_path: Path) -> Path:
    """A folder with known.yaml and a warm, valid cache; returns the folder."""
    (tmp_path / "known.yaml").write_text(KNOWN, encoding="utf-8")
    run(tmp_path)
    run(tmp_path)
    assert cache_file(tmp_path).is_file() and key_file(tmp_path).is_file()
    return tmp_path


def cache_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "govern" / packcache.FILE_NAME


def key_file(tmp_path: Path) -> Path:
    return tmp_path / "state" / "govern" / packcache.KEY_NAME


def uncached(tmp_path: Path) -> tuple[int, str]:
    code, report, hits = run(tmp_path, GOVERN_NO_CACHE="1")
    assert hits == 0
    return code, report


def sec_002_entry(saved: dict) -> dict:
    for entry in saved["files"].values():
        for doc in entry:
            for rule in doc["data"]["rules"]:
                if rule["id"] == "SEC-002":
                    return rule
    raise AssertionError("SEC-002 is not in the cache")


def downgrade(saved: dict) -> None:
    """SEC-002 made info: its severity, and the severities its check function is given."""
    sec_002_entry(saved).update(severity="info", **{"with": {"admins": "info", "users": "info"}})


def assert_ignored_and_rebuilt(tmp_path: Path) -> None:
    expected = uncached(tmp_path)
    code, report, hits = run(tmp_path)
    assert (code, report) == expected and code == 1  # SEC-002 still an error
    assert hits == 0  # nothing of the tampered file was used
    saved = json.loads(cache_file(tmp_path).read_bytes())
    assert sec_002_entry(saved)["severity"] == "error" and sec_002_entry(saved)["with"]["admins"] == "error"
    assert run(tmp_path)[2] >= 6  # the rebuilt cache is trusted again
    assert run(tmp_path)[:2] == expected


def edit(tmp_path: Path, change) -> None:
    """Rewrite the cache's JSON through ``change(saved)``, keeping the HMAC the file had."""
    saved = json.loads(cache_file(tmp_path).read_bytes())
    change(saved)
    cache_file(tmp_path).write_text(json.dumps(saved, separators=(",", ":")), encoding="utf-8")


def test_a_valid_cache_is_used_and_changes_nothing(cached: Path) -> None:
    code, report, hits = run(cached)
    assert hits >= 6
    assert (code, report) == uncached(cached) and code == 1


def test_a_rule_severity_edited_inside_an_entry_is_ignored(cached: Path) -> None:
    edit(cached, downgrade)
    assert_ignored_and_rebuilt(cached)


def test_an_edited_entry_with_a_recomputed_plain_digest_is_ignored(cached: Path) -> None:
    """Someone without the key can recompute any digest of the file, but not its HMAC."""
    saved = json.loads(cache_file(cached).read_bytes())
    downgrade(saved)
    del saved["mac"]
    body = json.dumps(saved, separators=(",", ":")).encode()
    forged = b'{"mac":"' + hashlib.sha256(body).hexdigest().encode() + b'",' + body[1:]
    cache_file(cached).write_bytes(forged)
    assert_ignored_and_rebuilt(cached)


def test_two_entries_swapped_are_ignored(cached: Path) -> None:
    def swap(saved: dict) -> None:
        files = saved["files"]
        first, second = sorted(files)[:2]
        files[first], files[second] = files[second], files[first]

    edit(cached, swap)
    assert_ignored_and_rebuilt(cached)


def test_a_recorded_identity_pointed_at_another_entry_is_ignored(cached: Path) -> None:
    def repoint(saved: dict) -> None:
        others = sorted(saved["files"])
        for stats in saved["stats"].values():
            stats[5] = others[0] if stats[5] != others[0] else others[1]

    edit(cached, repoint)
    assert_ignored_and_rebuilt(cached)


@pytest.mark.parametrize("keep", [0, 40, 100, 5000, -1])
def test_a_truncated_cache_is_ignored(cached: Path, keep: int) -> None:
    raw = cache_file(cached).read_bytes()
    cache_file(cached).write_bytes(raw[:keep])
    assert_ignored_and_rebuilt(cached)


def test_a_cache_from_another_govern_version_is_ignored(cached: Path) -> None:
    """Signed with this user's key by another version (which read packs its own way): still not trusted."""
    cache_file(cached).unlink()
    run(cached, version="0.0.1-other")
    run(cached, version="0.0.1-other")
    other = json.loads(cache_file(cached).read_bytes())
    assert other["fingerprint"][1] == "0.0.1-other"
    del other["mac"]
    downgrade(other)  # how that version read the pack
    body = json.dumps(other, separators=(",", ":")).encode()
    cache_file(cached).write_bytes(f'{{"mac":"{packcache._mac(key_file(cached).read_bytes(), body)}",'.encode() + body[1:])
    assert_ignored_and_rebuilt(cached)


def test_entries_from_another_govern_version_spliced_into_this_ones_file_are_ignored(cached: Path) -> None:
    current = json.loads(cache_file(cached).read_bytes())
    cache_file(cached).unlink()
    run(cached, version="0.0.1-other")
    other = json.loads(cache_file(cached).read_bytes())
    other["fingerprint"] = current["fingerprint"]
    downgrade(other)
    cache_file(cached).write_text(json.dumps(other, separators=(",", ":")), encoding="utf-8")
    assert_ignored_and_rebuilt(cached)


def test_a_cache_signed_with_another_key_is_ignored(cached: Path) -> None:
    saved = json.loads(cache_file(cached).read_bytes())
    del saved["mac"]
    downgrade(saved)
    body = json.dumps(saved, separators=(",", ":")).encode()
    cache_file(cached).write_bytes(f'{{"mac":"{packcache._mac(os.urandom(32), body)}",'.encode() + body[1:])
    assert_ignored_and_rebuilt(cached)


def test_a_pickle_in_place_of_the_cache_runs_nothing(cached: Path) -> None:
    import pickle

    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {cached / 'PWNED'}",))

    cache_file(cached).write_bytes(pickle.dumps(Boom()))
    assert_ignored_and_rebuilt(cached)
    assert not (cached / "PWNED").exists()


@pytest.mark.skipif(os.name == "nt", reason="POSIX owner and mode bits")
def test_a_key_others_can_read_turns_the_cache_off(cached: Path) -> None:
    key_file(cached).chmod(0o644)
    cache_file(cached).unlink()
    code, report, hits = run(cached)
    assert hits == 0 and (code, report) == uncached(cached)
    assert not cache_file(cached).exists()  # nothing written with a key others may know
    key = key_file(cached)
    key.unlink()
    key.symlink_to(cached / "known.yaml")
    assert run(cached)[2] == 0 and not cache_file(cached).exists()


def test_the_key_is_made_private_and_outside_the_cache(tmp_path: Path) -> None:
    (tmp_path / "known.yaml").write_text(KNOWN, encoding="utf-8")
    run(tmp_path)
    key = key_file(tmp_path)
    assert len(key.read_bytes()) == packcache.KEY_BYTES
    if os.name != "nt":
        assert key.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in cache_file(tmp_path).parent.iterdir()) == [packcache.FILE_NAME]


def test_the_mac_is_hmac_sha256():
    key = os.urandom(32)
    for data in (b"", b"{}", os.urandom(100_000)):
        assert packcache._mac(key, data) == hmac.new(key, b"govern pack cache\0" + data, "sha256").hexdigest()
