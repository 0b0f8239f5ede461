"""Notifications: an outbox written with each state change, delivered by e-mail and shown in-app.

A service that changes an application calls `services.enqueue` inside its own transaction, so the
message exists exactly when the change does. `worker.run_delivery_loop` sends due messages through
a `mailer.Mailer` (SMTP, or nothing in development) and records each attempt on the row.
"""
