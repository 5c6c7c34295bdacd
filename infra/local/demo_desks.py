"""The demo salon's desks (`make dev`): two wash basins and a colour station; Color and Mechas need the
colour station, and the booking page's confirmation says where the client will sit. Added once: a restart
with kept data adds nothing (each desk is looked for first), and what staff changed since is left alone."""
from __future__ import annotations


def provision(env: dict[str, str]) -> list[str]:
    from dataclasses import replace

    from chalicelib import wiring
    from chalicelib.domain.calendar import WeeklyHours
    from chalicelib.domain.desks import Desk
    from infra.local.devstack import DEMO_ID

    store = wiring.store()
    catalog = store.catalog(DEMO_ID)
    hours = WeeklyHours.from_json({**{d: [["09:00", "14:00"], ["15:00", "20:00"]]
                                      for d in ("mon", "tue", "wed", "thu", "fri")}, "sat": [["09:00", "14:00"]]})
    wanted = [
        Desk("dsk_demo_basin1", 1, frozenset({"svc_cut", "svc_cut_style"}), hours, description="Lavacabezas"),
        Desk("dsk_demo_basin2", 2, frozenset({"svc_cut", "svc_cut_style"}), hours, description="Lavacabezas junto a la ventana"),
        Desk("dsk_demo_colour", 3, frozenset({"svc_color", "svc_highlights"}), hours, description="Puesto de color"),
    ]
    added = [desk for desk in wanted if catalog.desk(desk.id) is None]
    for desk in added:
        store.save_desk(DEMO_ID, desk)
    if any(d.id == "dsk_demo_colour" for d in added):  # the first time only: colour needs its station
        for service_id in ("svc_color", "svc_highlights"):
            service = catalog.service(service_id)
            if service is not None:
                store.save_service(DEMO_ID, replace(service, requires_desk=True))
        business = catalog.business
        store.save_business(replace(business, rules=replace(business.rules, show_desk=True)))
    return [f"demo desks: {', '.join(d.label for d in added)}"] if added else []
