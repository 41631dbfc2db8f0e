"""Schemathesis hooks for `make fuzz` (SCHEMATHESIS_HOOKS=tests.contract.rules).

`--checks all` includes "a schema-valid request is accepted". Our schema says what a request
may look like; some refusals of well-formed requests are business rules no schema can state (a
revoked link is 410, a stale If-Match is 412, a key reused for another body is 422, bytes that
are not an image are 400 `unsupported_image`). The first check keeps the built-in one with exactly
that allowance: a well-formed request may be refused only with a problem code the operation
documents for that status (or the landing page's documented HTML 404/410), and never with
`invalid` or `parse_error` (what the schema itself should have said), except `invalid` on the
fields whose rule no schema can state.

The second keeps "a request the schema calls invalid is refused" with two allowances about the
wire, not the API: a 414 from the HTTP server is a refusal too, and a multipart field whose
type was changed (a caption sent as the number -327) arrives as the text "-327", which is a
valid caption.
"""

import json

import schemathesis
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.core.mutations import OperatorKind
from schemathesis.core.parameters import ParameterLocation
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

SCHEMA_SHOULD_SAY = {"invalid", "parse_error"}
# Fields whose rule no schema can state: a cursor is the server's own string (only a `next`
# link's is valid), `expires_at` must be later than the moment the request arrives, and a
# report's `target_id` may not be the caller, and a photo's `sha1` must be that of its file.
BEYOND_A_SCHEMA = {"cursor", "expires_at", "target_id", "sha1"}


def refused_by_a_documented_rule(case, response) -> bool:
    documented = case.operation.definition.raw.get("responses", {}).get(
        str(response.status_code), {}
    )
    content_type = response.headers.get("content-type", [""])[0]
    if content_type.startswith("text/html"):  # the landing page's friendly 404 and 410
        return "text/html" in documented.get("content", {}) and response.status_code in (404, 410)
    if not content_type.startswith("application/problem+json"):
        return False
    try:
        problem = json.loads(response.content)
    except ValueError:
        return False
    code = problem.get("code")
    if code not in documented.get("x-problem-codes", []):
        return False
    if code in SCHEMA_SHOULD_SAY:
        return code == "invalid" and set(problem.get("errors", {})) <= BEYOND_A_SCHEMA
    return True


@schemathesis.check
def positive_data_refused_only_by_documented_rules(ctx, response, case):
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if refused_by_a_documented_rule(case, response):
            return None
        raise


def _multipart_type_change_only(case) -> bool:
    if not (case.media_type or "").startswith("multipart/form-data"):
        return False
    data = case.meta.phase.data if case.meta else None
    mutations = getattr(data, "mutations", None) or []
    return bool(mutations) and all(
        m.operator == OperatorKind.CHANGE_TYPE and m.parameter_location == ParameterLocation.BODY
        for m in mutations
    )


@schemathesis.check
def negative_data_refused_as_sent_on_the_wire(ctx, response, case):
    try:
        return negative_data_rejection(ctx, response, case)
    except AcceptedNegativeData:
        if response.status_code == 414 or _multipart_type_change_only(case):
            return None
        raise
