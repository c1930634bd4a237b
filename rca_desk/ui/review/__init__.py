"""The actions review across incidents: tiles, the filterable table, the Pareto chart."""
