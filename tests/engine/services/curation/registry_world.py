"""The demo department's registries filled as a curator fills them: three mentors appointed, two mentees registered,
one pair formed (the registries' and their exports' tests)."""
from __future__ import annotations


def staffed(demo) -> None:
    for mentor in ("volkov", "morozova", "lebedev"):
        demo.appoint(mentor)
    for mentee in ("orlova", "fedorov"):
        demo.register(mentee)
    demo.form_pair("volkov", "orlova")
