"""The compositions of stages (load, add, run, batch): the only place where stages meet the store."""
