"""Shared by the benchmarks: a throw-away PostgreSQL database and latency helpers."""

import os
import statistics
import time
import uuid


def temporary_database_url(prefix: str = "bench") -> tuple[str, str]:
    """Create an empty database next to DATABASE_URL's; return its URL and name."""
    import dj_database_url
    import psycopg

    base = os.environ.get("DATABASE_URL", "postgres://wiki:wiki@127.0.0.1:5432/wiki")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    config = dj_database_url.parse(base)
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"],
        user=config["USER"],
        password=config["PASSWORD"],
        dbname=config["NAME"],
        autocommit=True,
    ) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name, name


def drop_database(name: str) -> None:
    from django.db import connections

    connections.close_all()
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def timed(client, url: str, n: int, before=None) -> list[float]:
    """Server time in ms of `n` GETs through Django's test client (asserting 200)."""
    samples = []
    for _ in range(n):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return samples
