"""From sources to records: parallel parsing now; batched, idempotent writes to the store later."""
