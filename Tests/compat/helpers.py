"""Small helpers shared by the compatibility tests."""

import json
import math
import sys
import uuid

import requests


def unique(prefix: str = "x") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def run_ids(runs) -> set:
    return {r.info.run_id for r in runs}


def is_inf_roundtrip(value: float, sign: int) -> bool:
    """±Infinity after a round trip through the server.

    The official SQL store clamps ±inf to ±float max (MLFLOW_API.md §2.3); mixbit is allowed to keep
    the real infinity and emit "Infinity". Both read back as "the largest value of that sign".
    """
    if sign > 0:
        return value == math.inf or value == sys.float_info.max
    return value == -math.inf or value == -sys.float_info.max


def rest(base: str, method: str, endpoint: str, **kwargs) -> requests.Response:
    """A raw call to /api/2.0/mlflow/<endpoint>, for wire-level checks the client would hide."""
    return requests.request(method, f"{base}/api/2.0/mlflow/{endpoint}", timeout=60, **kwargs)


def error_body(resp: requests.Response) -> dict:
    try:
        body = resp.json()
    except (ValueError, json.JSONDecodeError):
        raise AssertionError(f"error response is not JSON: {resp.status_code} {resp.text[:200]!r}")
    assert isinstance(body, dict) and "error_code" in body, body
    return body
