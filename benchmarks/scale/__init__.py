"""Measuring at a site's scale on ../shared/faces-scale (issue 22): the set encoded once
per engine (faces), naming rules side by side (rules, report: identification.py --scale),
a door's store padded to a site's size (door: door_accuracy.py --gallery)."""
