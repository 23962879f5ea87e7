"""Peak memory of the central importing hostile USB bundles (issue 13: "no bundle may take more
than a few tens of MB to process"), measured with tracemalloc; JSON out.

    uv run --no-sync python scripts/bench_bundle_memory.py [--ops 20000]

A central on SQLite in a scratch folder, one office with a clerk, a PC with its bundle keys
and the clerk's key registered; each case is a bundle the PC's holder could make, signed
validly (the attacker holds the PC and the clerk's password), imported once:

- ``cursors_1_5m``: 1.5 million cursors in the head (the issue's 1.6 GB and 500);
- ``bomb_200mb``: a 200 MB line compressed to a few hundred KB;
- ``max_ops``: MAX_BUNDLE_OPS real drafts (applied: the legitimate maximum);
- ``amplified_ops``: ops of MAX_OP_BYTES each, as many Python objects per byte of JSON as
  the limits allow (MAX_OP_VALUES objects and two-letter strings), as many as
  MAX_OUTBOX_BYTES holds (each refused by the push).

The figure is tracemalloc's peak of Python allocations during the import (the file itself,
already in memory, is not counted).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.ids import new_id, utcnow
from sync.central import admin
from sync.central.bundles import BundleRefused, import_bundle
from sync.central.db import open_central
from sync.protocol import bundle as wire
from sync.protocol.bundle import BundleKeys, BundleKind
from tests.central.bundle_helpers import BundlePc, register_pc_keys, save_op


class _Office:
    def __init__(self, db, org_a: str, users: dict[str, str], device) -> None:
        self.db, self.org_a, self.users, self.device = db, org_a, users, device


def _measure(pc: BundlePc, data: bytes) -> dict[str, object]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        receipt = import_bundle(pc.db, data, pc.central)
        outcome = f"receipt of {len(receipt)} bytes"
    except BundleRefused as exc:
        outcome = f"refused: {exc.message}"
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "file_bytes": len(data),
        "peak_mb": round(peak / 2**20, 1),
        "seconds": round(time.perf_counter() - started, 2),
        "outcome": outcome[:120],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=wire.MAX_BUNDLE_OPS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = open_central(f"sqlite:///{Path(scratch) / 'central.sqlite3'}")
        org = admin.create_org(db, "6340101", "อบต.ทดสอบ", "sao", "34")
        clerk = admin.create_user(db, org, "clerk.a", "เสมียน", "clerk", "a-long-password")
        device = admin.register_device_as_operator(db, org, "เครื่อง 1")
        office = _Office(db, org, {"clerk.a": clerk}, device)
        pc = BundlePc(db, device.device_id, org, register_pc_keys(db, device.device_id),
                      BundleKeys.new())  # fmt: skip
        results: dict[str, object] = {}

        flood = b",".join(b'"%036d":0' % i for i in range(1_500_000))
        head = b'{"exported_by":"x","cursors":{' + flood + b"}}\n"
        del flood
        results["cursors_1_5m"] = _measure(
            pc, wire.seal(BundleKind.OUTBOX, pc.device_id, [head], pc.keys, pc.central.public)
        )
        del head

        signed_head = pc.outbox([], exporter=clerk)
        head_line = wire.inflate(wire.read(signed_head).open(pc.keys.public, pc.central), 1 << 20)
        zeros = b"0" * (1 << 20)
        bomb = wire.seal(BundleKind.OUTBOX, pc.device_id, [head_line, *([zeros] * 200)],
                         pc.keys, pc.central.public)  # fmt: skip
        results["bomb_200mb"] = _measure(pc, bomb)

        ops = [pc.save(office, "clerk.a") for _ in range(args.ops)]
        results["max_ops"] = _measure(pc, pc.outbox(ops, exporter=clerk))
        del ops

        template = save_op(office, "clerk.a").model_dump(mode="json")
        n = wire.MAX_OP_VALUES - 200  # half objects, half two-letter strings
        filler = ",".join(["{}"] * (n // 2) + ['"ab"'] * (n // 2))
        line = json.dumps({**template, "payload": {"x": "@", "y": ""}}).replace(
            '"@"', f"[{filler}]"
        )
        line = line.replace('"y": ""', f'"y": "{"x" * (wire.MAX_OP_BYTES - len(line) - 100)}"')
        count = wire.MAX_OUTBOX_BYTES // (len(line) + 1) - 1
        lines = [line.replace(template["op_id"], new_id()).encode() + b"\n" for _ in range(count)]
        amplified = _raw(pc, clerk, lines)
        results["amplified_ops"] = _measure(pc, amplified)
        db.close()
    print(json.dumps({"bench": "bundle_memory", "at": utcnow().isoformat(), **results}, indent=2))
    return 0


def _raw(pc: BundlePc, exporter: str, lines: list[bytes]) -> bytes:
    import hashlib

    from app.domain import signing

    head = {
        "bundle_id": new_id(), "device_id": pc.device_id, "org_id": pc.org_id,
        "created_at": utcnow().isoformat(), "exported_by": exporter, "cursors": {},
        "ops": len(lines), "ops_sha256": hashlib.sha256(b"".join(lines)).hexdigest(),
    }  # fmt: skip
    key = pc.user_key(exporter).private
    head["signatures"] = {exporter: signing.sign(key, wire.EXPORT_CONTEXT, head)}
    body = [json.dumps(head).encode() + b"\n", *lines]
    return wire.seal(BundleKind.OUTBOX, pc.device_id, body, pc.keys, pc.central.public)


if __name__ == "__main__":
    raise SystemExit(main())
