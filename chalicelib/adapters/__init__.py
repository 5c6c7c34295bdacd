"""The AWS implementations of the ports in chalicelib/ports.py (chalicelib/wiring.py picks them).

Each translates the provider's errors into the ports' own, so botocore never reaches the services."""
