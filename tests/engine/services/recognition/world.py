"""A Tomsk department with one school: the department's curator and head, a school curator, three mentors of the
school (one of them also a juror), a methodologist juror, a mentor of another department."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.db.models import Organization, Person
from engine.services.people.actor import Actor, actor_of
from tests import factories as f


@dataclass
class World:
    session: Session
    department: Organization
    school: Organization
    other: Organization
    people: dict[str, Person]

    def actor(self, name: str) -> Actor:
        return actor_of(self.session, self.people[name])


def build(session: Session, regulation: str = "tomsk") -> World:
    department = f.make_department(session, regulation=regulation, name="Департамент образования")
    school = f.make_organization(session, parent=department, name="МАОУ СОШ № 8")
    other = f.make_department(session, regulation=regulation)
    people: dict[str, Person] = {}
    for name, full_name, org, roles in (
            ("curator", "Куратова Анна Ивановна", department, ["curator"]),
            ("head", "Петрова Ольга Викторовна", department, ["head"]),
            ("school_curator", "Школьная Вера Павловна", school, ["curator"]),
            ("volkov", "Волков Игорь Николаевич", school, ["mentor"]),
            ("morozova", "Морозова Елена Сергеевна", school, ["mentor"]),
            ("lebedev", "Лебедев Олег Андреевич", school, ["mentor"]),
            ("methodologist", "Методистова Нина Петровна", department, ["methodologist"]),
            ("stranger", "Чужой Пётр Петрович", other, ["mentor", "curator"]),
            ("mentee", "Орлова Ирина Сергеевна", school, ["mentee"])):
        person = f.make_person(session, full_name=full_name, login=name, organization_id=org.id)
        for role in roles:
            f.make_role(session, person, org, role)
        people[name] = person
    session.flush()
    return World(session, department, school, other, people)
