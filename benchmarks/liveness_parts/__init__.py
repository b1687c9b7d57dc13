"""Parts of benchmarks/liveness.py: the attack videos it renders (attacks.py) and the
pipeline runs it measures (runs.py)."""
