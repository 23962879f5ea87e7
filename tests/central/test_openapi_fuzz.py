"""``schemathesis`` against the served OpenAPI document: no input gets a 5xx.

Every operation is called with generated requests (valid and invalid) as a logged-in org
admin on a registered PC, so the bodies reach the routes rather than stopping at the
authentication; logout runs last, since it ends the session.
"""

from __future__ import annotations

import schemathesis
import schemathesis.python.asgi
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sync.protocol import PROTOCOL_HEADER

EXAMPLES = 40
# No 5xx; every answer has a documented status, content type and shape. (Schema-valid
# text with NUL characters is refused with 400 on purpose: PostgreSQL cannot store it.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_generated_requests_get_no_server_error(client, office) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    headers = {**office.login(client, "admin.a"), PROTOCOL_HEADER: "1"}
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: op.path == "/v1/logout")
    # 9; 6 of accounts, the PC keys and 3 key routes (issue 13); the office's users and
    # PCs: list and add users, list and rename PCs (issue 14)
    assert len(operations) == 23
    try:
        for operation in operations:
            _fuzz(operation, headers)
    finally:
        # schemathesis runs ASGI apps on one process-wide event loop thread: stop it, so the
        # leak check sees nothing left running
        schemathesis.python.asgi._shutdown()


def _fuzz(operation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
