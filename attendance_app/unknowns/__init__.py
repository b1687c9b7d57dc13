"""Unknown regulars: faces of people who are not enrolled, kept for a while and grouped.

Off by default (`unknowns.keep_days: 0`). When on, a track that ends as Unknown (seen
clearly, matched nobody) leaves one *sighting* behind: its best face picture and its
encodings (collector.py, saved off the camera loop by saver.py into unknowns.sqlite3,
store.py). Sightings older than keep_days are deleted. Sightings of one person are grouped
(clustering.py, groups.py) so that a visitor who comes every day shows as one group, which
can be enrolled under a name (enrol.py) or deleted.

Nothing heavy is imported here: the command line imports this package before it knows
whether faces will be needed.
"""
