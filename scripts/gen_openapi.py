#!/usr/bin/env python3
"""Writes openapi.json: the OpenAPI 3.1.0 description of the SautiPBX admin API.

The document mirrors Sources/AdminAPI (route table, request structs and their CodingKeys,
validation, Render.swift and the error envelope). It is generated so that shared pieces
(timestamps, error responses, list envelopes, the Call object with and without `events`,
the Webhook with and without `secret`) are written once. Run: python3 gen_openapi.py
"""
import json
import os

# ---------------------------------------------------------------- primitives
TS = {"type": "string", "format": "date-time", "description": "RFC 3339 UTC time with milliseconds."}
TS_NULL = {"type": ["string", "null"], "format": "date-time", "description": "RFC 3339 UTC time with milliseconds, or null."}
INT = {"type": "integer", "format": "int64"}
INT_NULL = {"type": ["integer", "null"], "format": "int64"}
STR = {"type": "string"}
STR_NULL = {"type": ["string", "null"]}
ANY_JSON = {"description": "Any JSON value as stored (usually an object), or null when none was stored."}

SCOPES = ["calls.read", "calls.write", "numbers.read", "numbers.write", "wallet.read", "wallet.write",
          "webhooks.read", "webhooks.write", "admin"]
EVENT_TYPES = ["call.started", "call.answered", "call.completed", "call.failed", "call.recording.ready",
               "number.provisioned", "number.released", "wallet.low_balance", "wallet.top_up"]
CALL_STATUSES = ["ringing", "in_progress", "completed", "failed", "no_answer", "busy", "canceled"]
NUMBER_ROUTES = ["callback", "hold", "echo", "app:demo"]

# NumberRoutes.checkRoutingURL wants an absolute http(s) URL with a host (no "@"), no spaces,
# <= 2048 bytes; the store then parses it with Foundation's URL, which refuses control and
# non-ASCII characters in the host. The pattern is the safe subset both accept.
URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[1-9][0-9]{0,3})?(/[!-~]*)?$"
E164_PATTERN = "^\\+[1-9][0-9]{1,14}$"


def obj(props, required=None, description=None):
    """A response object: every listed field, nothing else (Render.swift writes exactly these)."""
    o = {"type": "object", "additionalProperties": False,
         "required": list(props) if required is None else required, "properties": props}
    if description:
        o["description"] = description
    return o


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def enum(values, nullable=False):
    return {"type": ["string", "null"] if nullable else "string", "enum": values + ([None] if nullable else [])}


# ---------------------------------------------------------------- resource schemas (Render.swift)
workspace = obj({
    "id": STR, "name": STR, "currency": {"type": "string", "description": "ISO 4217; KES."},
    "inbound_rate_per_minute_minor": INT, "outbound_rate_per_minute_minor": INT,
    "billing_increment_seconds": INT, "low_balance_threshold_minor": INT,
    "recording_retention_days": INT, "signing_secret": {"type": "string", "description": "Signs voice callbacks and webhooks."},
    "play_allowed_hosts": {"type": ["array", "null"], "items": STR,
                           "description": "Hosts the workspace's voice apps may `play` from; null = any host."},
    "created_at": TS,
}, description="A tenant with its KES wallet, rates and signing secret.")

api_key = obj({
    "id": STR, "workspace_id": STR, "name": STR,
    "prefix": {"type": "string", "description": "The first characters of the secret, to recognise a key."},
    "scopes": {"type": "array", "items": enum(SCOPES)},
    "created_at": TS, "revoked_at": TS_NULL, "last_used_at": TS_NULL,
}, description="An API key; its secret is shown once, at creation.")

number = obj({
    "id": STR, "workspace_id": STR, "e164": STR, "route": enum(NUMBER_ROUTES),
    "voice_callback_url": STR_NULL, "fallback_url": STR_NULL, "events_url": STR_NULL,
    "status": enum(["active", "retired"]), "created_at": TS, "updated_at": TS, "released_at": TS_NULL,
}, description="A claimed phone number and its routing.")

call_props = {
    "id": STR, "workspace_id": STR, "session_id": STR, "direction": enum(["inbound", "outbound"]),
    "local_e164": STR, "remote_e164": STR, "started_at": TS, "answered_at": TS_NULL, "ended_at": TS_NULL,
    "duration_seconds": INT_NULL, "status": enum(CALL_STATUSES), "cost_minor": INT_NULL, "cost_currency": STR,
    "rate_per_minute_minor": INT, "failure_code": STR_NULL, "sip_status": INT_NULL, "ledger_entry_id": STR_NULL,
    "client_request_id": STR_NULL, "metadata": ANY_JSON, "created_at": TS, "updated_at": TS,
}
call = obj(call_props, description="A call record as listed (no events).")
call_with_events = obj({**call_props, "events": {"type": "array", "items": ref("CallEvent"),
                                                  "description": "Oldest first."}},
                       description="A call record with its events (GET /v1/calls/{id}).")
call_event = obj({"id": INT, "type": {"type": "string", "description": "e.g. call.ringing, call.answered, dtmf.received."},
                  "at": TS, "payload": ANY_JSON})

wallet = obj({"workspace_id": STR, "balance_minor": INT, "currency": STR, "low_balance_threshold_minor": INT, "updated_at": TS},
             description="Balance in minor units (KES cents); negative after a call overdrew it.")
ledger_entry = obj({"id": STR, "workspace_id": STR, "kind": enum(["call_debit", "top_up"]), "amount_minor": INT,
                    "balance_after_minor": INT, "call_id": STR_NULL, "reference": STR_NULL, "created_at": TS})

webhook_props = {"id": STR, "workspace_id": STR, "url": STR, "events": {"type": "array", "items": enum(EVENT_TYPES)},
                 "created_at": TS, "previous_secret_expires_at": TS_NULL}
webhook = obj(webhook_props, description="A webhook subscription (the secret is shown at creation and rotation only).")
webhook_with_secret = obj({**webhook_props, "secret": STR}, description="A webhook subscription with its current secret.")
delivery = obj({"id": STR, "event_id": STR, "webhook_id": STR, "status": enum(["pending", "delivered", "failed"]),
                "attempts": {"type": "integer", "minimum": 0}, "next_attempt_at": TS_NULL, "last_attempt_at": TS_NULL,
                "last_status_code": INT_NULL, "last_error": STR_NULL, "created_at": TS})

error = obj({"error": obj({"code": {"type": "string", "description": "Stable error code."},
                           "message": {"type": "string", "description": "What to fix, for humans."},
                           "request_id": {"type": "string", "description": "The X-Request-Id of the request that failed first."}})},
            description="The error envelope of every failure.")


def list_of(item):
    return obj({"data": {"type": "array", "items": ref(item)},
                "next_cursor": {"type": ["string", "null"], "description": "Pass as `cursor` for the next page; null on the last."}})


stats_bucket = obj({"start": TS, "total": INT, "failed": INT, "minutes": INT, "spend_minor": INT})
stats = obj({"since": TS, "total": INT, "failed": INT, "minutes_total": INT, "spend_minor": INT, "currency": STR,
             "series": {"type": "array", "items": ref("StatsBucket"), "description": "Only when `bucket` was given."}},
            required=["since", "total", "failed", "minutes_total", "spend_minor", "currency"])

schemas = {
    "Workspace": workspace, "APIKey": api_key, "Number": number, "Call": call, "CallWithEvents": call_with_events,
    "CallEvent": call_event, "Wallet": wallet, "LedgerEntry": ledger_entry, "Webhook": webhook,
    "WebhookWithSecret": webhook_with_secret, "WebhookDelivery": delivery, "Error": error,
    "APIKeyList": list_of("APIKey"), "NumberList": list_of("Number"), "CallList": list_of("Call"),
    "LedgerEntryList": list_of("LedgerEntry"), "WebhookList": list_of("Webhook"),
    "WebhookDeliveryList": list_of("WebhookDelivery"), "CallStats": stats, "StatsBucket": stats_bucket,
    # Single-resource envelopes.
    "WorkspaceEnvelope": obj({"workspace": ref("Workspace")}),
    "APIKeyEnvelope": obj({"api_key": ref("APIKey")}),
    "APIKeyCreated": obj({"api_key": ref("APIKey"), "secret": {"type": "string", "description": "The key; shown only here."}}),
    "NumberEnvelope": obj({"number": ref("Number")}),
    "CallEnvelope": obj({"call": ref("CallWithEvents")}),
    "HangupResult": obj({"call_id": STR, "status": {"const": "hung_up"}}),
    "RecordingRedirect": obj({"url": {"type": "string", "description": "Signed download URL (also in Location)."},
                              "expires_in_seconds": {"type": "integer", "const": 900}}),
    "RecordingPending": obj({"status": {"const": "pending"}, "retry_after_seconds": {"type": "integer", "minimum": 0}}),
    "WalletEnvelope": obj({"wallet": ref("Wallet")}),
    "TopUpResult": obj({"ledger_entry": ref("LedgerEntry"), "balance_minor": INT}),
    "WebhookEnvelope": obj({"webhook": ref("Webhook")}),
    "WebhookWithSecretEnvelope": obj({"webhook": ref("WebhookWithSecret")}),
    "DeliveryEnvelope": obj({"delivery": ref("WebhookDelivery")}),
    "Health": obj({"status": {"const": "ok"}}),
    "Readiness": obj({"status": enum(["ready", "not_ready"]), "sip": {"type": "boolean"}, "store": {"type": "boolean"}}),
}

# ---------------------------------------------------------------- request bodies (the Decodable structs)
# `required` = the non-optional Swift fields; optional Swift fields accept null (decodeIfPresent).
# Unknown fields are ignored by JSONDecoder, so additionalProperties stays allowed.
rate = {"type": "integer", "format": "int64", "minimum": 0, "maximum": 100_000_000}
name_field = {"type": "string", "minLength": 1, "maxLength": 200}
url_field = {"type": "string", "pattern": URL_PATTERN, "maxLength": 2048}
url_null = {"type": ["string", "null"], "pattern": URL_PATTERN, "maxLength": 2048}


def nullable(s):
    return {**s, "type": [s["type"], "null"]}


# A `play` host pattern: a DNS name, `*.` + a DNS name, or an IP literal (Billing.PlayHostPatterns).
LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOSTS = {"type": ["array", "null"], "maxItems": 50, "items": {
    "type": "string", "maxLength": 253,
    "pattern": f"^((\\*\\.)?{LABEL}(\\.{LABEL})*|\\[[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*\\]|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*)$"},
    "description": "Hosts voice apps may `play` from (`media.example.com`, `*.example.com`, IP literals); null = any host."}

request_schemas = {
    "CreateWorkspace": {"type": "object", "required": ["name"], "properties": {
        "name": name_field,
        "inbound_rate_per_minute_minor": {**nullable(rate), "description": "Default 0."},
        "outbound_rate_per_minute_minor": {**nullable(rate), "description": "Default 300 (KES 3.00/min)."},
        "billing_increment_seconds": {"type": ["integer", "null"], "format": "int64", "minimum": 1, "maximum": 3600, "description": "Default 60."},
        "low_balance_threshold_minor": {**nullable(rate), "description": "Default 10000."},
        "recording_retention_days": {"type": ["integer", "null"], "minimum": 1, "maximum": 3650, "description": "Default 90."},
        "play_allowed_hosts": HOSTS,
    }},
    "UpdateWorkspace": {"type": "object", "description": "Absent: unchanged; null: any host.", "properties": {
        "play_allowed_hosts": HOSTS,
    }},
    "CreateAPIKey": {"type": "object", "required": ["name", "scopes"], "properties": {
        "name": name_field,
        "scopes": {"type": "array", "minItems": 1, "items": enum(SCOPES)},
        "workspace_id": {"type": ["string", "null"], "description": "Defaults to the caller's workspace; must exist."},
    }},
    "ClaimNumber": {"type": "object", "required": ["e164", "voice_callback_url"], "properties": {
        "e164": {"type": "string", "pattern": E164_PATTERN, "description": "E.164; spaces are dropped."},
        "voice_callback_url": url_field, "fallback_url": url_null, "events_url": url_null,
    }},
    "UpdateNumber": {"type": "object", "description": "Absent: unchanged; null: cleared (not voice_callback_url).", "properties": {
        "voice_callback_url": url_field, "fallback_url": url_null, "events_url": url_null,
    }},
    "TopUp": {"type": "object", "required": ["amount_minor"], "properties": {
        "amount_minor": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 999_999_999_999},
        "reference": {"type": ["string", "null"], "maxLength": 200},
    }},
    "CreateWebhook": {"type": "object", "required": ["url", "events"], "properties": {
        "url": url_field, "events": {"type": "array", "minItems": 1, "items": enum(EVENT_TYPES)},
    }},
}
schemas.update(request_schemas)

# ---------------------------------------------------------------- headers, parameters, responses
headers = {
    "X-Request-Id": {"description": "Identifies the request in logs and in error envelopes; on every response.",
                     "required": True, "schema": {"type": "string", "minLength": 1}},
    "Idempotent-Replayed": {"description": "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
                            "schema": {"type": "string", "enum": ["true"]}},
    "Allow": {"description": "The methods this path supports (RFC 9110 §10.2.1).", "required": True, "schema": {"type": "string"}},
    "Location": {"description": "Signed recording URL, valid 15 minutes.", "required": True, "schema": {"type": "string"}},
    "Retry-After": {"description": "Seconds to wait before asking again.", "required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"}},
}
RID = {"X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"}}

parameters = {
    "Cursor": {"name": "cursor", "in": "query", "description": "Opaque `next_cursor` of the previous page of this list.",
               "schema": {"type": "string", "maxLength": 512}},
    "Limit": {"name": "limit", "in": "query", "description": "Page size.",
              "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}},
    "IdempotencyKey": {"name": "Idempotency-Key", "in": "header",
                       "description": "Same key and body replays the first answer; same key, other body: 409 idempotency.conflict.",
                       "schema": {"type": "string", "minLength": 1, "maxLength": 255}},
}


def path_id(what, extra=None):
    s = {"type": "string", "minLength": 1, "maxLength": 128,
         "description": "At most 128 bytes as sent; anything else matches no route (404 not_found)."}
    if extra:
        s.update(extra)
    return {"name": "id", "in": "path", "required": True, "description": what, "schema": s}


def err_response(description, codes, extra_headers=None):
    h = dict(RID)
    if extra_headers:
        h.update(extra_headers)
    schema = {"allOf": [ref("Error"), {"properties": {"error": {"properties": {"code": {"enum": codes}}}}}]}
    return {"description": description, "headers": h, "content": {"application/json": {"schema": schema}}}


responses = {
    "BadRequest": err_response("The body, a query parameter, the cursor or the Idempotency-Key is invalid.",
                               ["validation.bad_request", "validation.invalid_cursor", "numbers.invalid_routing_url",
                                "wallet.invalid_amount", "webhooks.event_unsupported"]),
    "Unauthorized": err_response("No, an unknown or a revoked API key.", ["api_key.invalid", "api_key.revoked"]),
    "Forbidden": err_response("The key lacks the operation's scope.", ["api_key.scope_denied"]),
    "NotFound": err_response("No such route, or no such resource in the caller's workspace.",
                             ["not_found", "calls.not_found", "calls.recording_not_found", "numbers.not_found",
                              "webhooks.not_found", "workspaces.not_found"]),
    "MethodNotAllowed": err_response("The path exists but not with this method.", ["method_not_allowed"],
                                     {"Allow": {"$ref": "#/components/headers/Allow"}}),
    "Conflict": err_response("The request conflicts with the current state or with an earlier Idempotency-Key use.",
                             ["numbers.already_claimed", "numbers.not_assigned", "idempotency.conflict"]),
    "Gone": err_response("The recording is past the workspace's retention.", ["calls.recording_expired"]),
    "PayloadTooLarge": err_response("The body is over 1 MiB (bodies over 64 KiB already get 400).", ["validation.bad_request"]),
    "InternalError": err_response("The server failed; the request id finds it in the logs.", ["internal_error"]),
}
R = {k: {"$ref": f"#/components/responses/{k}"} for k in responses}


def ok(status_desc, schema_name, extra_headers=None, replayable=False):
    h = dict(RID)
    if replayable:
        h["Idempotent-Replayed"] = {"$ref": "#/components/headers/Idempotent-Replayed"}
    if extra_headers:
        h.update(extra_headers)
    return {"description": status_desc, "headers": h, "content": {"application/json": {"schema": ref(schema_name)}}}


BEARER = [{"bearer": []}]


def op(op_id, summary, tag, ok_responses, *, scope=None, params=None, body=None, errors=(), idempotent=False,
       description=None):
    """One operation. Errors every route can answer are added here: 404 (no route matches a
    hostile path), 405 and 500; /v1 routes add 401 and 403."""
    o = {"operationId": op_id, "summary": summary, "tags": [tag]}
    desc = description or ""
    if scope:
        desc = (desc + "\n\n" if desc else "") + f"Scope: `{scope}` (or `admin`)."
        o["security"] = BEARER
    else:
        o["security"] = []
    if desc:
        o["description"] = desc
    p = list(params or [])
    if idempotent:
        p.append({"$ref": "#/components/parameters/IdempotencyKey"})
    if p:
        o["parameters"] = p
    if body:
        o["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body)}}}
    resp = dict(ok_responses)
    codes = set(errors)
    if body or idempotent:
        codes.add("400")
    if body:
        codes.add("413")
    if scope:
        codes |= {"401", "403"}
    codes |= {"404", "405", "500"}
    names = {"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound", "405": "MethodNotAllowed",
             "409": "Conflict", "410": "Gone", "413": "PayloadTooLarge", "500": "InternalError"}
    for c in sorted(codes):
        resp.setdefault(c, R[names[c]])
    if idempotent:
        resp.setdefault("409", R["Conflict"])
    o["responses"] = dict(sorted(resp.items()))
    return o


LIST_PARAMS = [{"$ref": "#/components/parameters/Cursor"}, {"$ref": "#/components/parameters/Limit"}]

paths = {
    "/healthz": {"get": op("getHealthz", "Liveness", "System", {"200": ok("Alive.", "Health")})},
    "/readyz": {"get": op("getReadyz", "Readiness: SIP bound and store answering", "System", {
        "200": ok("Ready.", "Readiness"), "503": ok("Not ready (status not_ready).", "Readiness")})},
    "/metrics": {"get": op("getMetrics", "Prometheus metrics", "System", {"200": {
        "description": "Prometheus text exposition format 0.0.4.", "headers": RID,
        "content": {"text/plain": {"schema": {"type": "string"}}}}})},
    "/openapi.json": {"get": op("getOpenAPI", "This document", "System", {"200": {
        "description": "The OpenAPI 3.1 document.", "headers": RID,
        "content": {"application/json": {"schema": {"type": "object"}}}}})},

    "/v1/workspaces": {"post": op("createWorkspace", "Create a workspace (tenant) with a KES wallet", "Workspaces",
                                  {"201": ok("Created.", "WorkspaceEnvelope", replayable=True)},
                                  scope="admin", body="CreateWorkspace", idempotent=True)},
    "/v1/workspaces/{id}": {"get": op("getWorkspace", "A workspace", "Workspaces",
                                      {"200": ok("The workspace.", "WorkspaceEnvelope")},
                                      scope="admin", params=[path_id("Workspace id.")]),
                            "patch": op("updateWorkspace", "Change a workspace's play host allow-list", "Workspaces",
                                        {"200": ok("The updated workspace.", "WorkspaceEnvelope")},
                                        scope="admin", params=[path_id("Workspace id.")], body="UpdateWorkspace")},

    "/v1/api-keys": {
        "post": op("createAPIKey", "Create an API key (the secret is shown once)", "API keys",
                   {"201": ok("Created.", "APIKeyCreated", replayable=True)},
                   scope="admin", body="CreateAPIKey"),
        "get": op("listAPIKeys", "The caller's workspace's API keys, newest first", "API keys",
                  {"200": ok("A page of keys.", "APIKeyList")}, scope="admin", params=LIST_PARAMS, errors=["400"]),
    },
    "/v1/api-keys/{id}": {"delete": op("revokeAPIKey", "Revoke an API key (idempotent)", "API keys",
                                       {"200": ok("The revoked key.", "APIKeyEnvelope")},
                                       scope="admin", params=[path_id("API key id.")])},

    "/v1/numbers": {
        "post": op("claimNumber", "Claim a number (fires number.provisioned)", "Numbers",
                   {"201": ok("Claimed.", "NumberEnvelope", replayable=True)},
                   scope="numbers.write", body="ClaimNumber", idempotent=True, errors=["409"]),
        "get": op("listNumbers", "The workspace's numbers, newest first", "Numbers",
                  {"200": ok("A page of numbers.", "NumberList")}, scope="numbers.read", params=LIST_PARAMS, errors=["400"]),
    },
    "/v1/numbers/{id}": {
        "get": op("getNumber", "A number", "Numbers", {"200": ok("The number.", "NumberEnvelope")},
                  scope="numbers.read", params=[path_id("Number id.")],
                  description="404 numbers.not_found also for another workspace's number (ids reveal nothing)."),
        "patch": op("updateNumber", "Change a number's routing", "Numbers", {"200": ok("The updated number.", "NumberEnvelope")},
                    scope="numbers.write", params=[path_id("Number id.")], body="UpdateNumber", errors=["409"],
                    description="409 numbers.not_assigned for a retired number; 404 for another workspace's."),
        "delete": op("releaseNumber", "Release a number (status retired, fires number.released)", "Numbers",
                     {"200": ok("The released number.", "NumberEnvelope")},
                     scope="numbers.write", params=[path_id("Number id.")], errors=["409"],
                     description="409 numbers.not_assigned when already retired; 404 for another workspace's."),
    },

    "/v1/calls": {"get": op("listCalls", "Call records, newest first", "Calls", {"200": ok("A page of calls.", "CallList")},
                            scope="calls.read", errors=["400"], params=[
        {"name": "status", "in": "query", "description": "Comma-separated list of statuses: " + ", ".join(CALL_STATUSES) + ".",
         "schema": {"type": "string", "pattern": "^ *(" + "|".join(CALL_STATUSES) + ") *(, *(" + "|".join(CALL_STATUSES) + ") *)*$"}},
        {"name": "direction", "in": "query", "schema": {"type": "string", "enum": ["inbound", "outbound"]}},
        {"name": "q", "in": "query", "description": "Substring of the remote number or the session id.",
         "schema": {"type": "string", "maxLength": 100}},
        {"name": "session_id", "in": "query", "schema": {"type": "string"}},
        {"name": "from", "in": "query", "description": "Calls started at or after: RFC 3339 or unix seconds.",
         "schema": {"type": "string"}},
        {"name": "to", "in": "query", "description": "Calls started before: RFC 3339 or unix seconds.",
         "schema": {"type": "string"}},
        *LIST_PARAMS])},
    "/v1/calls/stats": {"get": op("getCallStats", "Totals, spend and an optional series", "Calls",
                                  {"200": ok("The statistics.", "CallStats")}, scope="calls.read", errors=["400"], params=[
        {"name": "since", "in": "query", "schema": {"type": "string", "enum": ["today", "7d", "month"], "default": "today"}},
        {"name": "bucket", "in": "query", "description": "Adds `series` bucketed by hour or day.",
         "schema": {"type": "string", "enum": ["hour", "day"]}}])},
    "/v1/calls/{id}": {"get": op("getCall", "A call with its events (oldest first)", "Calls",
                                 {"200": ok("The call.", "CallEnvelope")}, scope="calls.read",
                                 params=[path_id("Call id or session id.")],
                                 description="The id `stats` is shadowed by GET /v1/calls/stats (matched first).")},
    "/v1/calls/{id}/hangup": {"post": op("hangupCall", "End a live call (idempotent)", "Calls",
                                         {"200": ok("Hung up or already over.", "HangupResult")}, scope="calls.write",
                                         params=[path_id("Call id or session id.")])},
    "/v1/calls/{id}/recording": {"get": op("getCallRecording", "Where to download the call's recording", "Recordings", {
        "202": ok("Still capturing; ask again later.", "RecordingPending",
                  {"Retry-After": {"$ref": "#/components/headers/Retry-After"}}),
        "302": ok("Redirect to a signed URL valid 15 minutes.", "RecordingRedirect",
                  {"Location": {"$ref": "#/components/headers/Location"}}),
    }, scope="calls.read", params=[path_id("Call id or session id.")], errors=["410"],
        description="404 calls.not_found or calls.recording_not_found (none, or it failed); 410 calls.recording_expired.")},
    "/recordings/{id}": {"get": op("downloadRecording", "Recording bytes from a signed URL (public; the signature is the credential)",
                                   "Recordings", {
        "200": {"description": "The WAV file.", "headers": RID,
                "content": {"audio/wav": {"schema": {"type": "string", "contentMediaType": "audio/wav"}}}},
        "403": err_response("Bad or expired signature.", ["recordings.bad_signature", "recordings.link_expired"]),
    }, params=[path_id("Recording id."),
               {"name": "expires", "in": "query", "required": True, "description": "Unix seconds.",
                "schema": {"type": "integer", "format": "int64"}},
               {"name": "sig", "in": "query", "required": True, "schema": {"type": "string"}}], errors=["410"])},

    "/v1/wallet": {"get": op("getWallet", "The workspace's wallet", "Wallet", {"200": ok("The wallet.", "WalletEnvelope")},
                             scope="wallet.read")},
    "/v1/wallet/topups": {"post": op("createTopUp", "Manual top-up (fires wallet.top_up)", "Wallet",
                                     {"201": ok("Credited.", "TopUpResult", replayable=True)},
                                     scope="wallet.write", body="TopUp", idempotent=True)},
    "/v1/wallet/ledger": {"get": op("listLedger", "The wallet ledger, newest first", "Wallet",
                                    {"200": ok("A page of entries.", "LedgerEntryList")}, scope="wallet.read",
                                    params=LIST_PARAMS, errors=["400"])},

    "/v1/webhooks": {
        "post": op("createWebhook", "Subscribe a URL to events", "Webhooks",
                   {"201": ok("Created; the secret is shown here.", "WebhookWithSecretEnvelope", replayable=True)},
                   scope="webhooks.write", body="CreateWebhook", idempotent=True),
        "get": op("listWebhooks", "The workspace's webhooks, newest first", "Webhooks",
                  {"200": ok("A page of webhooks.", "WebhookList")}, scope="webhooks.read", params=LIST_PARAMS, errors=["400"]),
    },
    "/v1/webhooks/{id}": {
        "get": op("getWebhook", "A webhook", "Webhooks", {"200": ok("The webhook.", "WebhookEnvelope")},
                  scope="webhooks.read", params=[path_id("Webhook id.")]),
        "delete": op("deleteWebhook", "Delete a webhook (its pending deliveries fail)", "Webhooks",
                     {"200": ok("The deleted webhook.", "WebhookEnvelope")}, scope="webhooks.write", params=[path_id("Webhook id.")]),
    },
    "/v1/webhooks/{id}/rotate-secret": {"post": op(
        "rotateWebhookSecret", "New secret; the previous one keeps signing for 24 h", "Webhooks",
        {"200": ok("The webhook with its new secret.", "WebhookWithSecretEnvelope")},
        scope="webhooks.write", params=[path_id("Webhook id.")])},
    "/v1/webhooks/{id}/deliveries": {"get": op(
        "listWebhookDeliveries", "A webhook's deliveries, newest first", "Webhooks",
        {"200": ok("A page of deliveries.", "WebhookDeliveryList")}, scope="webhooks.read",
        params=[path_id("Webhook id."), *LIST_PARAMS], errors=["400"])},
    "/v1/webhook-deliveries/{id}/retry": {"post": op(
        "retryWebhookDelivery", "Send a delivery again now", "Webhooks", {"200": ok("The delivery, pending.", "DeliveryEnvelope")},
        scope="webhooks.write", params=[path_id("Delivery id.")])},
}

doc = {
    "openapi": "3.1.0",
    "info": {"title": "SautiPBX admin API", "version": "0.1.0",
             "description": "Admin HTTP/JSON API of the SautiPBX daemon (shared/spec/admin-api.md). Wire fields are "
                            "snake_case, times RFC 3339 UTC, money integer minor units (KES cents). Every response "
                            "carries X-Request-Id; errors are `{\"error\": {code, message, request_id}}`."},
    "tags": [{"name": t} for t in ["System", "Workspaces", "API keys", "Numbers", "Calls", "Recordings", "Wallet", "Webhooks"]],
    "paths": paths,
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "An API key (sk_...) of a workspace; its scopes gate the routes."}},
        "schemas": schemas, "parameters": parameters, "headers": headers, "responses": responses,
    },
}

if __name__ == "__main__":
    out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Sources", "AdminAPI", "openapi.json")
    with open(out, "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {out}: {len(paths)} paths, {sum(len(v) for v in paths.values())} operations")
