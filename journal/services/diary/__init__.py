"""The parents' and pupils' diary: a week, marks by subject, attendance and the timetable.

The diary is what most users ever see — hundreds of parents per school on Monday morning —
so each page costs a fixed, small number of queries whatever the number of lessons or marks:

- `viewer_pupils` — the pupil asked for and the viewer's other children, with the access
  answer (guardian's view_pupil, or the class teacher's manage_class), the pupil's class and
  the school's grading rules folded into one query;
- the lessons of the week, with subgroups and enrolment dates applied in SQL, their homework,
  room, substitute and bell times joined in;
- everything hanging from those lessons for this pupil — marks, absences, homework files —
  in one UNION ALL query (`_week_rows`);
- the announcements.

The same shape serves the weekly digest (reports) and the printable weekly report.
"""
