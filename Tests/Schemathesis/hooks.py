"""schemathesis hooks for shido's socket API (docs/openapi.json).

- NDJSON bodies (import, restore) are sent as one JSON document per line, and the dump's
  NDJSON answer is read line by line, so those operations are tested like the others.
- `schema_valid_not_malformed`: a request the document calls valid may be refused by a
  domain rule (422 with another rule: an unknown company, a completed engagement), never
  as malformed (400, or 422 with rule "malformed"): that would mean the document promises
  something the daemon does not accept.
"""
import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    lines = value if isinstance(value, list) else [value]
    return ("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n").encode("utf-8")


@schemathesis.deserializer("application/x-ndjson")
def read_ndjson(ctx, response):
    return [json.loads(line) for line in response.content.decode("utf-8").splitlines() if line.strip()]


@schemathesis.check
def schema_valid_not_malformed(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    status = response.status_code
    rule = None
    if status == 422:
        try:
            rule = response.json().get("rule")
        except ValueError:
            pass
    if status == 400 or (status == 422 and rule == "malformed"):
        raise AssertionError(f"a request valid by the document was refused as malformed ({status}): {response.text[:300]}")
    return None
