#!/usr/bin/env python3
"""The plain pipeline the streamer is compared with: urllib + confluent-kafka, no transactions, one request in
flight, the same two tables the end-to-end benchmark backfills (claude_code_usage one day at a time,
usage_report in 31-day windows), each row flattened to the contract's columns and produced keyed.

Usage: pipeline.py BASE_URL BOOTSTRAP FIRST_DAY LAST_DAY  (the admin key in ANTHROPIC_ADMIN_KEY)
Prints one JSON line: {"events": N, "requests": N, "seconds": S}.
"""
import datetime
import json
import os
import sys
import time
import urllib.parse
import urllib.request

from confluent_kafka import Producer

TOOLS = ["edit_tool", "multi_edit_tool", "write_tool", "notebook_edit_tool"]


def get(base, key, path, params):
    url = f"{base}{path}?{urllib.parse.urlencode(params, doseq=True)}"
    request = urllib.request.Request(url, headers={"x-api-key": key, "anthropic-version": "2023-06-01"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def claude_code_row(record):
    actor = record.get("actor") or {}
    metrics = record.get("core_metrics") or {}
    lines = metrics.get("lines_of_code") or {}
    breakdown = record.get("model_breakdown") or []
    row = {
        "date": record.get("date"),
        "actor_type": actor.get("type"),
        "actor_id": actor.get("email_address") if actor.get("type") == "user_actor" else actor.get("api_key_name"),
        "organization_id": record.get("organization_id"),
        "customer_type": record.get("customer_type"),
        "terminal_type": record.get("terminal_type"),
        "num_sessions": metrics.get("num_sessions", 0),
        "lines_added": lines.get("added", 0),
        "lines_removed": lines.get("removed", 0),
        "commits_by_claude_code": metrics.get("commits_by_claude_code", 0),
        "pull_requests_by_claude_code": metrics.get("pull_requests_by_claude_code", 0),
    }
    actions = record.get("tool_actions") or {}
    for tool in TOOLS:
        row[f"{tool}_accepted"] = (actions.get(tool) or {}).get("accepted", 0)
        row[f"{tool}_rejected"] = (actions.get(tool) or {}).get("rejected", 0)
    for name, field in [("input", "total_input_tokens"), ("output", "total_output_tokens"),
                        ("cache_read", "total_cache_read_tokens"), ("cache_creation", "total_cache_creation_tokens")]:
        row[field] = sum((item.get("tokens") or {}).get(name, 0) for item in breakdown)
    row["total_estimated_cost_cents"] = sum((item.get("estimated_cost") or {}).get("amount", 0) for item in breakdown)
    row["models_used"] = ",".join(item.get("model", "") for item in breakdown) or None
    row["is_remote"] = record.get("is_remote")
    row["model_breakdown"] = breakdown
    key = {k: row[k] for k in ["date", "actor_type", "actor_id", "terminal_type"]}
    key["is_remote"] = row["is_remote"]
    return key, row


def main():
    base, bootstrap, first, last = sys.argv[1:5]
    key = os.environ["ANTHROPIC_ADMIN_KEY"]
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
                         "linger.ms": 5, "compression.type": "lz4", "partitioner": "murmur2_random"})
    first_day = datetime.date.fromisoformat(first)
    last_day = datetime.date.fromisoformat(last)
    started = time.monotonic()
    events = requests = 0
    day = first_day
    while day <= last_day:
        params = {"starting_at": day.isoformat(), "limit": 1000}
        while True:
            page = get(base, key, "/v1/organizations/usage_report/claude_code", params)
            requests += 1
            for record in page["data"]:
                row_key, row = claude_code_row(record)
                producer.produce("python.claude_code_usage", key=json.dumps(row_key, separators=(",", ":")),
                                 value=json.dumps(row, separators=(",", ":")))
                events += 1
                producer.poll(0)
            if not page.get("has_more"):
                break
            params["page"] = page["next_page"]
        day += datetime.timedelta(days=1)
    window = first_day
    while window <= last_day:
        end = min(window + datetime.timedelta(days=31), last_day + datetime.timedelta(days=1))
        params = {"starting_at": f"{window.isoformat()}T00:00:00Z", "ending_at": f"{end.isoformat()}T00:00:00Z",
                  "bucket_width": "1d", "limit": 31,
                  "group_by[]": ["api_key_id", "workspace_id", "model", "service_tier"]}
        while True:
            page = get(base, key, "/v1/organizations/usage_report/messages", params)
            requests += 1
            for bucket in page["data"]:
                for result in bucket.get("results", []):
                    row = dict(result)
                    row["bucket"] = bucket["starting_at"]
                    row_key = {k: row.get(k) for k in ["bucket", "api_key_id", "workspace_id", "model", "service_tier"]}
                    producer.produce("python.usage_report", key=json.dumps(row_key, separators=(",", ":")),
                                     value=json.dumps(row, separators=(",", ":")))
                    events += 1
                    producer.poll(0)
            if not page.get("has_more"):
                break
            params["page"] = page["next_page"]
        window = end
    producer.flush(60)
    print(json.dumps({"events": events, "requests": requests, "seconds": time.monotonic() - started}))


if __name__ == "__main__":
    main()
