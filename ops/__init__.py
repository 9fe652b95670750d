"""Running the journal: backups and restore, health checks, the workers' heartbeats and the
outbox of tasks the broker could not take. Not about schools: it imports no other app of the
project (only lib/), and no app imports it."""
