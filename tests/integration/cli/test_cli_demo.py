"""`ledgerbridge demo`: the founding INT860 case told end to end, for people (Rich) and for programs (JSON)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from ledgerbridge.domain import ReportState
from ledgerbridge.store import Database, Reports

# The demo uses a database of its own: a configured one (here unreachable) is left alone.
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none"


def ledgerbridge() -> list[str]:
    """The installed `ledgerbridge` command of this interpreter's environment."""
    script = Path(sys.executable).with_name("ledgerbridge")
    found = str(script) if script.exists() else shutil.which("ledgerbridge")
    assert found, "the ledgerbridge command is not installed (pip install -e .)"
    return [found]


def run_demo(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGERBRIDGE_")}
    env.update({"LEDGERBRIDGE_DATABASE_URL": UNREACHABLE, "COLUMNS": "200", "NO_COLOR": "1"})
    return subprocess.run([*ledgerbridge(), "demo", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=180, check=False)


def test_demo_tells_the_founding_case_from_failure_to_fix_to_export(tmp_path: Path) -> None:
    result = run_demo(tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    for line in (
        "1. Start the Sage Intacct sandbox",
        "james.oconnor@cedarridge.example",
        "3. Export the approved reports to Sage Intacct",
        "INT860 Export Error: Sage Intacct couldn't create the transaction because account 6400 (linked to "
        "Credit Card AMEX-1005",
        "Why",
        "How to fix it",
        "Lift the restriction in Sage Intacct (usual fix)",
        "Recategorize to an unrestricted account",
        "5. Preflight finds it before anything is sent",
        "account 6400 belongs to entity E200",
        "Posting restrictions before: Entity E200 only; after: none.",
        "7. Sync Now",
        "Exported: 'Client dinner at Harbor Grill' is in Sage Intacct, record key",
        "Next: run ledgerbridge up",
    ):
        assert line in out, line
    # The steps come in the order of the founding document: failure, fix in Intacct, Sync Now, retry.
    order = [out.index(marker) for marker in ("INT860 Export Error", "Posting restrictions before", "7. Sync Now",
                                              "Exported:")]
    assert order == sorted(order)
    # Nothing is left in the working directory: the temporary data is removed.
    assert list(tmp_path.iterdir()) == []


def test_demo_json_reports_every_step_and_keep_leaves_a_data_dir_for_up(tmp_path: Path) -> None:
    kept = tmp_path / "demo-data"
    result = run_demo(tmp_path, "--json", "--keep", str(kept))

    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["ok"] is True and document["error"] is None
    steps = document["steps"]
    assert list(steps) == ["sandbox", "workspace", "export", "failure", "preflight", "fix", "sync_now", "retry",
                           "exported"]
    founding = steps["workspace"]["founding_report_id"]
    assert steps["workspace"]["sync"]["status"] == "succeeded"

    (refused,) = [r for r in steps["export"]["reports"] if r["report_id"] == founding]
    assert (refused["outcome"], refused["int_code"]) == ("failed", "INT860")
    assert "account 6400" in refused["message"] and "AMEX-1005" in refused["message"]
    assert steps["failure"]["values"]["account"] == "6400"
    assert steps["failure"]["fixes"][0]["needs_intacct_admin"] is True

    assert steps["preflight"]["ok"] is False
    assert [f["code"] for f in steps["preflight"]["findings"] if f["blocking"]] == ["INT860"]
    assert any(s["kind"] == "recategorize" for s in steps["preflight"]["suggestions"])

    assert steps["fix"] == {"account": "6400", "company_id": "DEMO", "by": "xml_gateway",
                            "restrictions_before": ["Entity E200 only"], "restrictions_after": []}
    assert steps["sync_now"]["status"] == "succeeded"
    (retried,) = steps["retry"]["reports"]
    assert retried["report_id"] == founding and retried["outcome"] == "exported"
    assert steps["exported"]["intacct_keys"] == retried["intacct_keys"] != []
    assert document["next"] == f"ledgerbridge up --data-dir {kept}"

    assert stat.S_IMODE((kept / "secret.key").stat().st_mode) == 0o600
    assert (kept / "sandbox" / "sandbox.sqlite3").is_file()
    database = Database(f"sqlite:///{kept / 'ledgerbridge.sqlite3'}")
    try:
        with database.session() as session:
            report = Reports(session).get(steps["workspace"]["id"], founding)
    finally:
        database.dispose()
    assert report.state is ReportState.EXPORTED and report.last_int_code is None


def test_demo_refuses_to_keep_its_data_in_a_directory_that_holds_something(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = run_demo(tmp_path, "--keep", str(tmp_path))

    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: --keep {tmp_path}: not a new or empty directory",
                                          "hint: name a directory that does not exist yet"]
    assert result.stdout == ""
