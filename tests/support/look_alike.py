"""The shared faces' nearest look-alike: a real stranger an engine at a loose tolerance
takes for an enrolled person, for the tests of voiding a wrong row ("That was not X")."""

from __future__ import annotations

PERSON = "Padraig_Harrington"
"""The enrolled person (lfw/enrol/PERSON/PERSON_0001.jpg; lfw/probe/PERSON/ walks by)."""

LOOK_ALIKE = "lfw/stranger/Uthai_Pimchaichon_0001.jpg"
"""The stranger nearest to anyone enrolled in the shared faces with SFace: 0.648 from
Padraig Harrington's photo (0.66 to 0.71 in the door video's frames), past the default
tolerance (0.575), 0.13 nearer to him than to anybody else."""

LOOSE_SFACE_TOLERANCE = 0.75
"""A tolerance loose enough that the look-alike is taken for PERSON."""
