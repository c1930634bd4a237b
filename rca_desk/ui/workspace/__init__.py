"""The main window, split by concern.

- ``main_window``: menus, the undo group and the tabs.
- ``incident_list``: the Incidents tab (table, filter, the selected incident's findings).
- ``incident_table``: the table model and filter proxy behind it.
- ``workspace_files``: opening another workspace, JSON import and export, the sample.
- ``new_incident``: the dialog that starts an incident.
"""
