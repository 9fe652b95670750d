"""The rules of the school year, its classes and people, in one place per topic.

- codes: parent and pupil access codes of a class;
- year: the year, its periods, holidays and bells;
- people: classes, enrolment movement, subgroups, courses;
- imports: pupils and classes from CSV and XLSX.
"""
