"""The HTTP edge: parse, call a service, shape the response. Nothing here decides a business rule."""
