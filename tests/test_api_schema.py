"""schemathesis against the API's own OpenAPI schema (`/api/schema/`), authenticated as a
project admin, through the WSGI app: no answer is a 5xx and none breaks the schema."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks as st

from annotations.services.tokens import token_create
from workbench.wsgi import application

# No 5xx; status codes, content types, headers and bodies as documented (DECISIONS.md 39).
# Not `positive_data_acceptance`: a request can fit the schema and still be wrong for the
# data (a span past the end of the text). Not `negative_data_rejection`: DRF reads a number
# where a string is asked for, and ignores a page size it cannot read.
CHECKS = [
    st.not_a_server_error,
    st.status_code_conformance,
    st.content_type_conformance,
    st.response_headers_conformance,
    st.response_schema_conformance,
]


def _real_ids(case, world) -> None:
    """Point the path at the world's objects, so that answers with bodies are checked too
    (random ids mostly find nothing; tests/test_permissions_matrix.py covers those 404s)."""
    names = {
        "project_id": "project",
        "doc_id": "document",
        "job_id": "job",
        "upload_id": "upload",
        "token_id": "token",
        "username": "annotator",
    }
    for kind in ("label", "member", "assignment", "comment"):
        if f"/{kind}s/" in case.path:
            names["pk"] = kind
    for parameter in case.path_parameters or {}:
        if parameter in names:
            case.path_parameters[parameter] = world[names[parameter]]


# A fixed seed, so every run sends the same requests (a failure reproduces); the coverage
# phase (every boundary of every parameter) is left to the examples below: it alone took
# minutes.
CONFIG = schemathesis.Config.from_dict({"seed": 17, "phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)


@pytest.fixture
def _one_connection():
    """Requests go straight to the WSGI app: keep Django from closing the test's connection
    (and its transaction) at each request's end, as its test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(cast):
    return token_create(user=cast.admin, name="schemathesis")[1]


@schema.parametrize()
@settings(
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(case, world, admin_token, _one_connection):
    """Generated requests to every operation: never a 5xx, every answer as documented."""
    _real_ids(case, world)
    case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, checks=CHECKS)
