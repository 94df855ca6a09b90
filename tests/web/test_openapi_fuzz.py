"""schemathesis against the app's own OpenAPI document: generated requests, valid and invalid, find no 5xx.

Bounded: a fixed number of examples per operation and per mode, authenticated with an analyst's API token
(the highest role any ``/api/v1`` operation needs), against the live server on 127.0.0.1.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.web.conftest import Site

EXAMPLES = 10


def test_openapi_document_describes_every_api_route(site: Site) -> None:
    doc = site.api("/api/v1/openapi.json")
    api_paths = {r.path for r in site.app.routes if getattr(r, "path", "").startswith("/api/v1/")}
    assert set(doc["paths"]) == api_paths - {"/api/v1/openapi.json"}
    assert doc["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_server_error_on_any_operation(site: Site, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_dict(site.api("/api/v1/openapi.json"))
    headers = {"Authorization": f"Bearer {site.tokens['analyst']}"}
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 9
    statuses: dict[str, set[int]] = {}
    for op in operations:
        fuzz(op, mode, site.url, headers, statuses.setdefault(op.label, set()))
    assert all(max(s) < 500 for s in statuses.values()), statuses
    if mode is GenerationMode.POSITIVE:
        assert all(200 in s for s in statuses.values()), statuses  # valid requests were answered, not refused


def fuzz(op: Any, mode: GenerationMode, url: str, headers: dict[str, str], seen: set[int]) -> None:
    """Send ``EXAMPLES`` generated requests to one operation; schemathesis fails the test on a 5xx."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=op.as_strategy(generation_mode=mode))
    def check(case: schemathesis.Case) -> None:
        seen.add(case.call_and_validate(base_url=url, headers=headers, checks=[not_a_server_error]).status_code)

    check()
