"""Turno: appointment booking for salons, clinics and other service businesses."""
