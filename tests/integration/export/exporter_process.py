"""An exporting process for the kill test: `python -m tests.integration.export.exporter_process URL KEY WS ACTOR`."""

from __future__ import annotations

import sys
from datetime import timedelta

from ledgerbridge.export.deliver import ExportService
from ledgerbridge.intacct import ClientOptions, RetryPolicy
from ledgerbridge.store import Database, SecretBox

OPTIONS = ClientOptions(retry=RetryPolicy(attempts=8, initial_wait=0.02, max_wait=0.3), functions_per_request=8)


def main(url: str, key: str, workspace_id: str, actor: str) -> int:
    database = Database(url)
    # A restarted exporter takes over what the killed one left `sending` at once (the lease is what lapses).
    service = ExportService(database, SecretBox(key), client_options=OPTIONS, sending_lease=timedelta(0),
                            max_rounds=12)
    run = service.export_now(workspace_id, service.approved(workspace_id), actor)
    database.dispose()
    return 0 if run.ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
