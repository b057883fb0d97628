"""Engines: the whole plan over an archive, in one process (local) or as a Spark job (engines/spark)."""
