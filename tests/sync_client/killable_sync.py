"""A desktop sync in a process of its own, for the test that kills it (SIGKILL) mid-way.

    python -m tests.sync_client.killable_sync DB URL CREDENTIALS_JSON

Syncs with tiny batches and pages (many commits to be killed between) until nothing is
left, then prints ``synced``."""

from __future__ import annotations

import json
import sys

from app.store.db import open_database
from sync.client.credentials import DeviceCredential
from sync.client.engine import Credentials, SyncEngine
from sync.client.transport import CentralClient


def main(db_path: str, url: str, credentials: str) -> None:
    spec = json.loads(credentials)
    creds = Credentials(DeviceCredential(**spec["device"]), spec["tokens"], spec["pull_as"])
    db = open_database(db_path)
    print("syncing", flush=True)  # the test kills at a random moment after this line
    with CentralClient(url, backoff_factor=0) as client:
        engine = SyncEngine(db, client, max_ops=5, max_page_bytes=2048)
        report = engine.sync(creds)
        while report.applied or report.pulled:  # until a cycle finds nothing to do
            report = engine.sync(creds)
    db.close()
    print("synced", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
