"""The archive plan as a Spark job (needs the ``spark`` extra: pyspark and a Java 17 runtime)."""
