"""Where reads go when the archive has a replica (cables.store.routing): the primary unless a web
request asked for the replica, the primary inside a transaction, and a replica that failed left
alone for a while that grows while it keeps failing."""

from __future__ import annotations

import pytest

from cables.store import routing


@pytest.fixture
def clock(monkeypatch):
    """A replica configured, and a clock the test moves."""
    now = [1000.0]
    monkeypatch.setattr(routing.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(routing, "has_replica", lambda: True)
    monkeypatch.setattr(routing, "_failed_until", 0.0)
    monkeypatch.setattr(routing, "_failures", 0)
    return now


def test_reads_go_to_the_primary_unless_asked_and_never_inside_a_transaction(db_access):
    from django.db import transaction

    router = routing.PrimaryReplicaRouter()
    assert routing.read_alias() == router.db_for_read(None) == "default"
    with routing.reading_from("replica"):
        assert routing.read_alias() == router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
        with db_access(), transaction.atomic():   # a transaction reads what it wrote
            assert routing.read_alias() == "default"
    assert routing.read_alias() == "default"


def test_the_replica_takes_no_migration():
    router = routing.PrimaryReplicaRouter()
    assert router.allow_migrate("replica", "store") is False
    assert router.allow_migrate("default", "store") is None


def test_a_failed_replica_is_tried_again_later_and_later_while_it_keeps_failing(clock):
    assert routing.replica_usable()
    routing.replica_failed()
    routing.replica_failed()          # a read under way when it failed: no longer wait
    assert not routing.replica_usable()
    clock[0] += routing.RETRY_SECONDS
    assert routing.replica_usable()   # tried again after 5 s…
    routing.replica_failed()          # … and still down: 10 s now
    clock[0] += routing.RETRY_SECONDS
    assert not routing.replica_usable()
    clock[0] += routing.RETRY_SECONDS
    assert routing.replica_usable()
    for _ in range(10):               # down for long: never more than a minute between tries
        routing.replica_failed()
        clock[0] += routing.LONGEST_WAIT
        assert routing.replica_usable()


def test_a_read_that_went_well_starts_the_wait_over(clock):
    routing.replica_failed()
    clock[0] += routing.RETRY_SECONDS
    routing.replica_answered()
    routing.replica_failed()
    clock[0] += routing.RETRY_SECONDS
    assert routing.replica_usable()
