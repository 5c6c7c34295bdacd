"""Scheduled and event-driven functions: outbox delivery and retries, reminders, delivery events."""
