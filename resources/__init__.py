"""Data files (the sample incident, icons), read through rca_desk.resources_path."""
