"""Turno's deployment: a CDK app that packages the Chalice app and defines everything around it."""
