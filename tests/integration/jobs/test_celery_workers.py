"""Jobs on a Celery worker pool: the web app hands Sync Now and exports to a `ledgerbridge worker` process over
Redis, and the worker carries them out against the same database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient

from ledgerbridge.domain import ReportState, Role
from ledgerbridge.jobs.celery_pool import CeleryRunner
from ledgerbridge.settings import AppSettings
from ledgerbridge.store import Database, Reports, SecretBox
from ledgerbridge.web import create_app
from tests.conftest import RunningSandbox
from tests.integration.api.conftest import join, person
from tests.integration.export.workspace import approved_report, category, demo_workspace, found_in_intacct

REDIS_URL = os.environ.get("LEDGERBRIDGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
BASE = "/api/v1/workspaces/{ws}"


def eventually(check: Callable[[], Any], *, within: float = 90.0) -> Any:
    deadline = time.monotonic() + within
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


@pytest.fixture
def key() -> bytes:
    return Fernet.generate_key()


@pytest.fixture
def settings(database: Database, key: bytes, tmp_path: Path) -> AppSettings:
    """Web app and worker settings: one database and key, jobs on Celery over Redis, a queue of this test's."""
    return AppSettings(data_dir=tmp_path, database_url=database.url.render_as_string(hide_password=False),
                       secret_key=key.decode(), redis_url=REDIS_URL, jobs="celery",
                       job_queue=f"ledgerbridge-test-{tmp_path.name}-{os.getpid()}")


@pytest.fixture
def worker(settings: AppSettings, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    assert settings.secret_key is not None and settings.redis_url is not None
    env = {name: value for name, value in os.environ.items() if not name.startswith("LEDGERBRIDGE_")}
    env.update(LEDGERBRIDGE_DATA_DIR=str(tmp_path), LEDGERBRIDGE_DATABASE_URL=settings.resolved_database_url,
               LEDGERBRIDGE_SECRET_KEY=settings.secret_key.get_secret_value(),
               LEDGERBRIDGE_REDIS_URL=settings.redis_url, LEDGERBRIDGE_JOB_QUEUE=settings.job_queue)
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "ledgerbridge", "worker", "--concurrency", "2"],
                               stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
    print((tmp_path / "worker.log").read_text(errors="replace")[-4000:])


def test_the_web_app_hands_sync_now_and_exports_to_a_worker(
    database: Database, key: bytes, settings: AppSettings, worker: subprocess.Popen[bytes],
    sandbox_server: RunningSandbox,
) -> None:
    box = SecretBox(key)
    ws, owner = demo_workspace(database, box, sandbox_server, "maria.alvarez@cedarridge.example")
    admin = person(database, "Ada Admin")
    join(database, ws, admin, Role.ADMIN)
    events = category(database, ws, "Company Events").id
    reports = [approved_report(database, ws, owner, [(f"Offsite {n}", "42.00", events, n % 2 == 0)])
               for n in range(3)]
    base = BASE.format(ws=ws)
    app = create_app(settings, database=database, box=box)
    assert isinstance(app.state.services.runner, CeleryRunner)
    with TestClient(app) as client:
        started = client.post(f"{base}/sync", headers=admin.headers)
        assert started.status_code == 202, started.text
        run_id = started.json()["data"]["id"]

        def finished_run() -> dict[str, Any] | None:
            run = client.get(f"{base}/sync/runs/{run_id}", headers=admin.headers).json()["data"]
            return run if run["status"] != "running" else None

        run = eventually(finished_run)
        assert run is not None, "the worker did not carry out the sync"
        assert run["status"] == "succeeded", run
        # The web process kept no claim of its own: the next Sync Now starts.
        again = client.post(f"{base}/sync", headers=admin.headers)
        assert again.status_code == 202, again.text
        assert eventually(lambda: client.get(f"{base}/sync/runs/{again.json()['data']['id']}",
                                             headers=admin.headers).json()["data"]["status"] != "running")

        for report_id in reports:
            queued = client.post(f"{base}/reports/{report_id}/export", headers=admin.headers)
            assert queued.status_code == 202, queued.text
            assert queued.json()["data"]["outcome"] == "queued"

        def all_exported() -> bool:
            with database.session() as session:
                return all(Reports(session).get(ws, r).state is ReportState.EXPORTED for r in reports)

        assert eventually(all_exported), "the worker did not export the reports"
    for report_id in reports:
        kind = "CCTRANSACTION" if reports.index(report_id) % 2 == 0 else "EEXPENSES"
        assert len(found_in_intacct(sandbox_server, kind, report_id)) == 1


def test_a_worker_without_a_broker_says_what_is_missing(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("LEDGERBRIDGE_")}
    result = subprocess.run([sys.executable, "-m", "ledgerbridge", "worker"], capture_output=True, text=True,
                            env={**env, "LEDGERBRIDGE_DATA_DIR": str(tmp_path)}, cwd=tmp_path)

    assert result.returncode == 2
    assert "error: a worker needs redis_url" in result.stderr
    assert "LEDGERBRIDGE_REDIS_URL" in result.stderr


def test_jobs_on_celery_need_a_broker() -> None:
    with pytest.raises(ValueError, match="jobs = celery needs redis_url"):
        AppSettings(jobs="celery")


def test_a_job_queue_that_cannot_be_reached_is_a_503_and_leaves_the_workspace_free(
    database: Database, key: bytes, sandbox_server: RunningSandbox, tmp_path: Path
) -> None:
    box = SecretBox(key)
    ws, _ = demo_workspace(database, box, sandbox_server, "maria.alvarez@cedarridge.example")
    admin = person(database, "Ada Admin")
    join(database, ws, admin, Role.ADMIN)
    settings = AppSettings(data_dir=tmp_path, redis_url="redis://127.0.0.1:9/0", jobs="celery")
    with TestClient(create_app(settings, database=database, box=box)) as client:
        for _ in range(2):  # the first refusal kept no claim: the second is refused the same way, not as running
            refused = client.post(BASE.format(ws=ws) + "/sync", headers=admin.headers)
            assert refused.status_code == 503, refused.text
            error = refused.json()["error"]
            assert error["code"] == "unavailable" and "the job queue did not take" in error["message"]
        runs = client.get(BASE.format(ws=ws) + "/sync/runs", headers=admin.headers).json()["data"]
    assert [run["status"] for run in runs[:2]] == ["failed", "failed"]
    assert "the sync could not be started: the job queue did not take" in runs[0]["errors"][0]["message"]
