"""The calendar-thematic plan (КТП): topics, the next topic of a lesson, plan versus fact."""
