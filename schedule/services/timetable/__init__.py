"""The timetable: weekly entries of courses, their clashes, grids and weeks to show, imports."""
