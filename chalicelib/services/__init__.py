"""Use cases: one function per thing a user does. They take a store and plain values."""
