"""`ally suggest`: wins from a real git repository, check-ins from a calendar an outside
library wrote, offered once each. The clock is Monday 23 November 2026."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar, Event, vCalAddress

from allyjournal.actions.suggest import Commit, _outside_text, from_commits
from allyjournal.core.text import mentions_in
from allyjournal.journal import door, layout

from helpers import Run, installed_ally, run_in_terminal, snapshot_bytes

ME, OTHER = "ada@example.com", "grace@example.com"


def _git(repo: Path, *args: str, **env: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    return done.stdout.strip()


def _commit(repo: Path, path: str, message: str, when: str, email: str = ME) -> str:
    file = repo / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(f"{message}\n{when}\n")
    _git(repo, "add", "-A")
    _git(
        repo,
        "commit",
        "--quiet",
        "-m",
        message,
        GIT_AUTHOR_EMAIL=email,
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_DATE=when,
    )
    return _git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with work by two authors: Ada (the user) on two days, Grace on one."""
    path = tmp_path / "billing"
    path.mkdir()
    _git(path, "init", "--quiet", "-b", "main")
    _git(path, "config", "user.email", ME)
    _git(path, "config", "user.name", "Ada")
    _git(path, "config", "commit.gpgSign", "false")
    _commit(path, "src/api/pay.py", "feat(api): add refunds", "2026-11-17T09:00:00+01:00")
    _commit(path, "docs/refunds.md", "docs: explain refunds", "2026-11-17T15:00:00+01:00")
    _commit(path, "ui/form.js", "Fix the card form", "2026-11-18T10:00:00+01:00", OTHER)
    _commit(path, "src/api/pay.py", "fix(api)!: round to cents", "2026-11-19T23:30:00-08:00")
    _git(path, "tag", "v2.0")
    return path


def _suggested(ally: Run, *args: str) -> list[dict[str, object]]:
    done = ally("suggest", *args, "--json")
    assert done.exit_code == 0, done
    return done.json()  # type: ignore[no-any-return]


def test_a_days_commits_of_yours_are_one_win_and_only_yours(ally: Run, repo: Path) -> None:
    found = _suggested(ally, "--git", str(repo))
    assert [(c["date"], c["text"], c["tags"], c["size"]) for c in found] == [
        ("2026-11-17", "Add refunds; Explain refunds", ["api", "billing", "docs"], "small"),
        # the author's own day (23:30 in -08:00), a breaking change, and a release tag
        ("2026-11-19", "Round to cents", ["api", "billing"], "big"),
    ]
    assert all("Card form" not in str(c["text"]) for c in found)  # Grace's commit
    assert found[0]["origin"] == "billing: 2 commits"
    assert ally("list", "--json").json() == []  # --json logs nothing


def test_accepted_and_skipped_suggestions_are_never_offered_again(
    ally: Run, repo: Path, home: Path
) -> None:
    logged = ally("suggest", "--git", str(repo), "--accept", "all")
    assert logged.exit_code == 0, logged
    assert logged.stdout.count("Logged ") == 2
    wins = ally("list", "--json").json()
    assert sorted((w["date"], w["size"], w["tags"]) for w in wins) == [
        ("2026-11-17", "small", ["api", "billing", "docs"]),
        ("2026-11-19", "big", ["api", "billing"]),
    ]
    again = ally("suggest", "--git", str(repo), "--accept", "all")
    assert (again.exit_code, again.stdout) == (0, "Nothing new to suggest.\n")
    # A commit made since is offered on its own, though its day was logged before.
    _commit(repo, "src/api/pay.py", "perf: cache rates", "2026-11-19T12:00:00+01:00")
    assert [c["text"] for c in _suggested(ally, "--git", str(repo))] == ["Cache rates"]
    assert (home / layout.SOURCES).stat().st_mode & 0o777 == 0o600
    # Undoing the log forgets that it was logged: it is offered again.
    assert ally("undo").exit_code == 0  # the 19 Nov win
    assert [c["text"] for c in _suggested(ally, "--git", str(repo))] == [
        "Cache rates; Round to cents"  # in the order they were written
    ]


def test_two_suggests_at_once_log_each_day_once(repo: Path, home: Path) -> None:
    """Both processes read the same suggestions; under the lock, the second to log a day
    finds it logged and goes on, saying so in one line."""
    _installed(home, "people", "add", "maya")  # a journal already there: no start-up lock
    command = [installed_ally(), "suggest", "--git", str(repo), "--accept", "all"]
    env = {**os.environ, "ALLYJOURNAL_LOCK_TIMEOUT": "60"}
    children = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(3)
    ]
    results = [(child.communicate(timeout=120), child.returncode) for child in children]
    assert [code for _, code in results] == [0, 0, 0], results
    wins = [entry["date"] for entry in json.loads(_installed(home, "list", "--json"))]
    assert sorted(wins) == ["2026-11-17", "2026-11-19"]
    told = [
        line
        for (_, err), _ in results
        for line in err.splitlines()
        if not line.startswith("ally: note: started your journal")
    ]
    assert all(line.startswith("ally: already logged by another ally process: ") for line in told)
    # Each reads what is not logged yet when it starts, which may be one day, both or none;
    # whatever each saw, the two days were logged once between them.
    assert sum(out.count("Logged ") for (out, _), _ in results) == 2, results


def _installed(home: Path, *args: str) -> str:
    done = subprocess.run(
        [installed_ally(), *args], capture_output=True, text=True, check=True, env=os.environ
    )
    return done.stdout


def test_a_damaged_sources_file_is_named_and_put_back_by_doctor(
    ally: Run, repo: Path, home: Path
) -> None:
    assert ally("suggest", "--git", str(repo), "--accept", "all").exit_code == 0
    assert ally("backup", "good").exit_code == 0
    (home / layout.SOURCES).write_bytes(b'{"sources": {"1": ')
    refused = ally("suggest", "--git", str(repo), "--json")
    assert refused.exit_code == 3 and "sources.json" in refused.stderr  # never offered twice
    assert "sources.json" in ally("doctor").stdout
    fixed = ally("doctor", "--fix")
    assert "put back sources.json from backup" in fixed.stdout, fixed
    assert _suggested(ally, "--git", str(repo)) == []


def test_a_terminal_offers_one_at_a_time(repo: Path, home: Path, tmp_path: Path) -> None:
    _commit(repo, "ops/deploy.sh", "Automate the deploy", "2026-11-20T10:00:00+01:00")
    env = {**os.environ}
    seen = run_in_terminal(["suggest", "--git", str(repo)], env, typed="a\ns\nq\n")
    assert "1/3  Tue 17 Nov 2026  win: Add refunds; Explain refunds #api #billing #docs" in seen
    assert "[a]ccept, [e]dit, [s]kip or [q]uit" in seen
    assert "Logged 1, skipped 1; 1 left for next time." in seen
    left = subprocess.run(
        [installed_ally(), "suggest", "--git", str(repo), "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert [c["text"] for c in json.loads(left.stdout)] == ["Automate the deploy"]
    again = subprocess.run(
        [installed_ally(), "suggest", "--git", str(repo), "--again", "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert [c["text"] for c in json.loads(again.stdout)] == [
        "Round to cents",
        "Automate the deploy",
    ]


def test_edit_opens_the_editor_and_logs_what_was_saved(
    repo: Path, home: Path, tmp_path: Path
) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "Shipped refunds with @maya\\n" > "$1"\n')
    editor.chmod(0o755)
    env = {**os.environ, "EDITOR": str(editor)}
    subprocess.run(
        [installed_ally(), "people", "add", "maya"], env=env, check=True, capture_output=True
    )
    seen = run_in_terminal(["suggest", "--git", str(repo)], env, typed="e\nq\n")
    assert "Logged " in seen and "Logged 1, skipped 0; 1 left for next time." in seen
    listed = subprocess.run(
        [installed_ally(), "list", "--json"], capture_output=True, text=True, env=env, check=True
    )
    [win] = json.loads(listed.stdout)
    assert (win["text"], win["mentions"], win["date"]) == (
        "Shipped refunds with @maya",
        ["maya"],
        "2026-11-17",
    )


def test_whose_commits_is_a_setting(ally: Run, repo: Path) -> None:
    assert ally("config", "emails", f"{OTHER.upper()}, nobody@example.com").exit_code == 0
    assert [c["text"] for c in _suggested(ally, "--git", str(repo))] == ["Fix the card form"]
    bad = ally("config", "emails", "not an address")
    assert bad.exit_code == 2 and bad.stderr.startswith("ally: Cannot set emails")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "Say where to look: --git PATH"),
        (("--git", "missing"), "--git missing: there is no folder there"),
        (("--git", "."), "--git .: git log failed: not a git repository"),
        (("--ics", "missing.ics"), "--ics missing.ics: no such file"),
        (("--ics", "."), "--ics .: that is a folder"),
        (("--ics", "junk.ics"), "--ics junk.ics: it is not an RFC 5545 calendar"),
        (("--git", "norepoemail"), "which commits are yours?"),
        (("--git", "x", "--period", "someday"), "someday"),
    ],
)
def test_bad_sources_get_one_line_and_nothing_is_written(
    ally: Run,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    says: str,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no global git identity to fall back on
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "junk.ics").write_bytes(b"\x1b[31mBEGIN:VCALENDAR\r\nnonsense\x00\r\n")
    bare = tmp_path / "norepoemail"
    bare.mkdir()
    _git(bare, "init", "--quiet")
    (tmp_path / "x").mkdir()
    before = snapshot_bytes(home)
    done = ally("suggest", *args, "--accept", "all")
    assert done.exit_code == 2, done
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("ally: ")
    assert says in done.stderr and "\x1b" not in done.stderr
    assert snapshot_bytes(home) == before


def test_a_hostile_repository_runs_nothing_and_its_text_is_only_text(
    ally: Run, repo: Path, tmp_path: Path
) -> None:
    """A repository's config can name programs for `git log` to run (a signature checker,
    an fsmonitor, an external diff); a commit message can hold escapes and fake mentions."""
    canary = tmp_path / "ran"
    program = tmp_path / "evil.sh"
    program.write_text(f"#!/bin/sh\ntouch {canary}\ncat >/dev/null\nexit 1\n")
    program.chmod(0o755)
    for key, value in (
        ("log.showSignature", "true"),
        ("gpg.program", str(program)),
        ("core.fsmonitor", str(program)),
        ("diff.external", str(program)),
        ("core.pager", str(program)),
    ):
        _git(repo, "config", key, value)
    head = _git(repo, "rev-parse", "HEAD")
    tree = _git(repo, "rev-parse", "HEAD^{tree}")
    signed = (
        f"tree {tree}\nparent {head}\n"
        f"author Ada <{ME}> 1795600000 +0000\ncommitter Ada <{ME}> 1795600000 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAA\n -----END PGP SIGNATURE-----\n\n"
        "Bump @babel/core \x1b]0;owned\x07\x1b[2J for @ada\u202e\n"
    )
    sha = (
        subprocess.run(
            ["git", "-C", str(repo), "hash-object", "-t", "commit", "-w", "--stdin"],
            input=signed.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    _git(repo, "update-ref", "refs/heads/main", sha)
    _git(repo, "log", "-1", "--format=%H")  # the trap is real: plain git log springs it
    assert canary.exists()
    canary.unlink()
    ally("people", "add", "ada")
    found = _suggested(ally, "--git", str(repo), "--period", "2026-11")
    assert not canary.exists()
    [bump] = [c for c in found if "Bump" in str(c["text"])]
    assert str(bump["text"]).startswith("Bump ＠babel/core ")
    assert str(bump["text"]).endswith(" for @ada")
    assert not any(c in str(bump["text"]) for c in "\x1b\x07\u202e")
    assert (
        ally("suggest", "--git", str(repo), "--period", "2026-11", "--accept", "all").exit_code == 0
    )
    assert not canary.exists()
    logged = [e for e in ally("list", "--json").json() if "Bump" in e["text"]]
    assert logged[0]["mentions"] == ["ada"]
    assert ally("people", "list", "--json").json()[0]["handle"] == "ada"  # no @babel


# -- calendars -----------------------------------------------------------------------------------


def _address(email: str, name: str = "", declined: bool = False) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = name
    if declined:
        address.params["partstat"] = "DECLINED"
    return address


def _event(uid: str, summary: str, start: datetime | date, people: list[vCalAddress]) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtstamp", datetime(2026, 11, 1, tzinfo=timezone.utc))
    for person in people:
        event.add("attendee", person)
    return event


@pytest.fixture
def calendar_file(tmp_path: Path) -> Path:
    """A month of meetings, written by the icalendar library as a calendar app exports it."""
    cet = timezone(timedelta(hours=1))
    calendar = Calendar()
    calendar.add("prodid", "-//Test//Calendar//EN")
    calendar.add("version", "2.0")
    weekly = _event(
        "1on1-maya@corp",
        "Maya / Ada",
        datetime(2026, 11, 3, 10, 0, tzinfo=cet),
        [_address(ME, "Ada"), _address("maya@corp.example", "Maya Patel")],
    )
    weekly.add("rrule", {"freq": "weekly", "count": 6})
    weekly.add("exdate", datetime(2026, 11, 10, 10, 0, tzinfo=cet))
    calendar.add_component(weekly)
    moved = _event(
        "1on1-maya@corp",
        "Maya / Ada (moved)",
        datetime(2026, 11, 18, 16, 0, tzinfo=cet),
        [_address(ME), _address("maya@corp.example")],
    )
    moved.add("recurrence-id", datetime(2026, 11, 17, 10, 0, tzinfo=cet))
    calendar.add_component(moved)
    calendar.add_component(_event("coffee-1", "Coffee with Sam Lee", date(2026, 11, 12), []))
    everyone = [_address(f"person{n}@corp.example") for n in range(12)]
    all_hands = _event(
        "allhands", "All hands", datetime(2026, 11, 13, 9, 0, tzinfo=cet),
        [*everyone, _address("maya@corp.example")],
    )  # fmt: skip
    calendar.add_component(all_hands)
    cancelled = _event("c", "Maya / Ada", date(2026, 11, 5), [_address("maya@corp.example")])
    cancelled.add("status", "CANCELLED")
    calendar.add_component(cancelled)
    declined = _event(
        "d", "Sync", date(2026, 11, 6), [_address(ME, declined=True), _address("sam@corp.example")]
    )
    calendar.add_component(declined)
    calendar.add_component(
        _event("e", "Lunch \x1b[31mwith\x1b[0m Jo", date(2026, 11, 20), [_address("jo@x.example")])
    )
    path = tmp_path / "calendar.ics"
    path.write_bytes(calendar.to_ical())
    return path


def test_meetings_with_people_in_the_journal_become_check_ins(
    ally: Run, calendar_file: Path
) -> None:
    assert ally("config", "emails", ME).exit_code == 0
    for handle, name in (("maya", "Maya Patel"), ("sam", "Sam Lee"), ("jo", "")):
        assert ally("people", "add", handle, *(["--name", name] if name else [])).exit_code == 0
    found = _suggested(ally, "--ics", str(calendar_file), "--period", "2026-11")
    assert [(c["date"], c["ally"], c["text"]) for c in found] == [
        ("2026-11-03", "maya", "Maya / Ada"),
        ("2026-11-12", "sam", "Coffee with Sam Lee"),
        ("2026-11-18", "maya", "Maya / Ada (moved)"),
        ("2026-11-20", "jo", "Lunch [31mwith [0m Jo"),
        # 10 Nov is excepted; 17 Nov moved to the 18th; 24 Nov, 1 Dec are after today;
        # the all-hands is not a check-in; the cancelled and the declined are left out.
    ]
    assert {c["kind"] for c in found} == {"help"} and {c["help_kind"] for c in found} == {
        "check-in"
    }
    done = ally("suggest", "--ics", str(calendar_file), "--period", "2026-11", "--accept", "all")
    assert done.exit_code == 0, done
    helps = ally("list", "--json", "--kind", "help").json()
    assert sorted((h["date"], h["ally"], h["help_kind"]) for h in helps) == [
        ("2026-11-03", "maya", "check-in"),
        ("2026-11-12", "sam", "check-in"),
        ("2026-11-18", "maya", "check-in"),
        ("2026-11-20", "jo", "check-in"),
    ]
    assert _suggested(ally, "--ics", str(calendar_file), "--period", "2026-11") == []


def test_nobody_in_the_journal_means_no_check_ins(ally: Run, calendar_file: Path) -> None:
    assert _suggested(ally, "--ics", str(calendar_file), "--period", "2026-11") == []


# -- what arrives by sync ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        {"id": "git-../../etc/passwd", "state": "skipped", "entry": None},
        {"id": "git-" + "a" * 40, "state": "obeyed", "entry": None},
        {"id": "git-" + "a" * 40, "state": "logged", "entry": None},
        {"id": "git-" + "a" * 40, "state": "skipped", "entry": "\x1b[2J"},
        {"id": "ics-" + "b" * 32, "state": "skipped", "entry": None, "created_at": "yesterday"},
        {"id": ["git"], "state": "skipped"},
    ],
)
def test_a_remotes_sources_file_is_checked_at_the_door(record: dict[str, object]) -> None:
    stamp = "2026-11-23T10:00:00+00:00"
    good = {"id": "git-" + "c" * 40, "state": "skipped", "entry": None}
    content = {
        "sources": {
            "1": {"created_at": stamp, "updated_at": stamp, **good},
            "2": {"created_at": stamp, "updated_at": stamp, **record},
        }
    }
    examined = door.examine(layout.SOURCES, content)
    assert not examined.whole and examined.keys == ["git-" + "c" * 40]


def test_what_one_machine_skipped_is_not_offered_on_the_other(
    ally: Run, repo: Path, tmp_path: Path, remote: Path
) -> None:
    work, personal = (("--home", str(tmp_path / name)) for name in ("work", "home"))
    assert ally(*work, "suggest", "--git", str(repo), "--accept", "all").exit_code == 0
    assert ally(*work, "sync", "init", str(remote)).exit_code == 0
    assert ally(*personal, "sync", "init", str(remote)).exit_code == 0
    offered = ally(*personal, "suggest", "--git", str(repo), "--json")
    assert (offered.exit_code, offered.json()) == (0, [])


# -- the text rule -------------------------------------------------------------------------------


@given(st.text(max_size=80))
def test_outside_text_has_no_controls_and_no_unknown_mentions(text: str) -> None:
    shown = _outside_text(text, frozenset({"maya"}))
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert set(mentions_in(shown)) <= {"maya"}
    assert shown == shown.strip()


def test_many_commits_in_a_day_are_counted_not_listed() -> None:
    commits = [
        Commit(sha=f"{n:040x}", repo="app", day=date(2026, 11, 20), subject=f"Step {n}")
        for n in range(7)
    ]
    [candidate] = from_commits(commits, set())
    assert candidate.text == "Step 0; Step 1; Step 2 (and 4 more)"
    assert len(candidate.sources) == 7 and candidate.origin == "app: 7 commits"
