"""Parts of benchmarks/records_scale.py: a school's calendar year, built in bulk and
measured at its end (year.py, `records_scale --year`)."""
