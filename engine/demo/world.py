"""Demo data: the Tomsk education department, four schools, and the people who run mentorship there.

Names are invented. Every demo person logs in with their login and the password ``DEMO_PASSWORD``.
Rule facts are set so that each of the four Tomsk mentee categories (003 §3.6.1) has one mentee and
each has an eligible mentor (003 §3.5); one candidate is not eligible (too short as head).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from engine.db.models import Organization, Person, Role, RoleAssignment
from engine.services.people.accounts import set_password

DEMO_PASSWORD = "nastavnik"

DEPARTMENT = "Департамент образования администрации Города Томска"
SCHOOLS = {
    "school8": "МАОУ СОШ № 8 г. Томска",
    "gymnasium6": "МАОУ гимназия № 6 г. Томска",
    "school15": "МАОУ СОШ № 15 г. Томска",
    "school22": "МАОУ СОШ № 22 г. Томска",
    "school40": "МАОУ СОШ № 40 г. Томска",
}

GOOD_MENTOR = dict(contest_level="regional", contest_result="winner", efficiency_percent=90,
                   has_mentorship_certificate=True, is_head=True)

# login, full name, position, workplace (a key of SCHOOLS; None: the department),
# {role: organization (None: the department)}, rule facts
DemoPerson = tuple[str, str, str, str | None, dict[Role, Organization | None], dict[str, object]]

PEOPLE: list[DemoPerson] = [
    ("head", "Петрова Ольга Викторовна", "Начальник департамента образования", None,
     {Role.HEAD: None}, {}),
    ("curator", "Смирнова Елена Александровна", "Куратор программ наставничества руководителей", None,
     {Role.CURATOR: None}, {}),
    ("methodologist", "Кузнецов Андрей Сергеевич", "Методист МАУ ИМЦ", None, {Role.METHODOLOGIST: None}, {}),
    # the administrator of the department's installation (issue 12): its schools, people and roles
    ("admin", "Захарова Вера Николаевна", "Администратор системы «Наставник»", None, {Role.ADMIN: None}, {}),
    ("volkov", "Волков Игорь Николаевич", "Директор", "school8", {},
     dict(GOOD_MENTOR, years_as_head=12, months_as_head=150)),
    ("morozova", "Морозова Наталья Ивановна", "Директор", "gymnasium6", {},
     dict(GOOD_MENTOR, years_as_head=9, months_as_head=110, contest_level="federal", contest_result="laureate",
          efficiency_percent=88)),
    ("lebedev", "Лебедев Сергей Петрович", "Директор", "school40", {},
     dict(GOOD_MENTOR, years_as_head=7, months_as_head=86, contest_result="prize_winner", efficiency_percent=85)),
    ("sokolova", "Соколова Анна Дмитриевна", "Заместитель начальника департамента", None, {},
     dict(GOOD_MENTOR, years_as_head=6, months_as_head=75, contest_level="federal", efficiency_percent=95)),
    ("kozlov", "Козлов Дмитрий Олегович", "Директор", "school22", {},
     dict(GOOD_MENTOR, years_as_head=3, months_as_head=40)),
    # mentees, one per category of 003 §3.6.1
    ("novikova", "Новикова Мария Андреевна", "Директор (вновь назначенная)", "school15", {},
     dict(is_head=True, months_as_head=4, efficiency_percent=70, school_low_results=False, in_management_reserve=False)),
    ("fedorov", "Фёдоров Алексей Викторович", "Учитель математики, резерв управленческих кадров", "school8", {},
     dict(is_head=False, in_management_reserve=True, school_low_results=False)),
    ("egorova", "Егорова Светлана Юрьевна", "Директор", "school22", {},
     dict(is_head=True, months_as_head=40, efficiency_percent=62, school_low_results=True, in_management_reserve=False)),
    ("pavlov", "Павлов Константин Игоревич", "Директор", "school40", {},
     dict(is_head=True, months_as_head=30, efficiency_percent=45, school_low_results=False, in_management_reserve=False)),
    # a program still running when the demo ends, so every role finds work in the web interface
    ("orlova", "Орлова Ирина Сергеевна", "Директор (вновь назначенная)", "gymnasium6", {},
     dict(is_head=True, months_as_head=2, efficiency_percent=75, school_low_results=False, in_management_reserve=False)),
    # a pair whose formation order waits for the head's signature when the demo ends
    ("belova", "Белова Татьяна Николаевна", "Заместитель директора, резерв управленческих кадров", "school40", {},
     dict(is_head=False, in_management_reserve=True, school_low_results=False)),
]
IN_PROGRESS_PAIR = ("volkov", "orlova")
AWAITING_SIGNATURE_PAIR = ("lebedev", "belova")  # consents given; the head signs the order in the web app

# Who is paired with whom in the demo, and what happens to the program.
DEMO_PAIRS = [
    ("volkov", "novikova", "returned_report"),  # appendix 1; a stage report is returned, then approved
    ("morozova", "fedorov", "extended"),  # appendix 2; extended by the head's order (003 §7.2)
    ("lebedev", "egorova", "completed"),  # appendix 3; completed with the plan fulfilled (003 §7.1 a)
    ("sokolova", "pavlov", "completed_early"),  # appendix 4; completed early (003 §7.1 b)
]


@dataclass
class DemoWorld:
    department: Organization
    schools: dict[str, Organization]
    people: dict[str, Person] = field(default_factory=dict)


def create_world(session: Session) -> DemoWorld:
    department = Organization(kind="department", regulation="tomsk", name=DEPARTMENT, short_name="ДО г. Томска")
    session.add(department)
    schools = {key: Organization(kind="school", regulation="tomsk", name=name, short_name=name.split(" г.")[0],
                                 parent=department) for key, name in SCHOOLS.items()}
    session.add_all(schools.values())
    world = DemoWorld(department, schools)
    for login, full_name, position, workplace, roles, facts in PEOPLE:
        person = Person(login=login, full_name=full_name, position=position,
                        organization=schools[workplace] if workplace else department, **facts)
        set_password(person, DEMO_PASSWORD)
        session.add(person)
        for role, organization in roles.items():
            session.add(RoleAssignment(person=person, organization=organization or department, role=role))
        world.people[login] = person
    session.flush()
    return world
