"""Messages to clients: what they say (render, SMS encoding, .ics) and how they go out (outbox, delivery)."""
