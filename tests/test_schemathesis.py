"""Property-based API tests: generated requests against the WSGI app must conform to the document.

Each operation gets ``SCHEMATHESIS_MAX_EXAMPLES`` generated cases (25 by default, so CI stays
quick; set it higher for a long run by hand); every answer must be below 500 and match the
documented status codes, content type and schema (``validate_response``).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from webapp.openapi import PATHS

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))
OPERATIONS = [(path, method.upper()) for path, ops in PATHS.items() for method in ops]


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_api_conforms(app, path, method):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call()
        assert response.status_code < 500, response.text
        # Not positive_data_acceptance: any string is schema-valid for ``ref``/``q``, yet text
        # that names no cable is rightly a documented 400.
        case.validate_response(response, excluded_checks=[positive_data_acceptance])

    check()


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_query_string_over_the_limit_is_a_documented_414(app, path, method):
    """The generated cases never reach the query-string limit; a 100 KB one answers 414 on every
    operation, in the documented error shape."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    parts: dict = {"query": {"q": "x" * 100_000}}
    if "{ref}" in path:
        parts["path_parameters"] = {"ref": "07MOSCOW1143"}
    if method == "POST":
        parts.update(body={"items": []}, media_type="application/json")
    case = operation.Case(**parts)
    response = case.call()
    assert response.status_code == 414
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
