"""The main window: the incident list, the tabs, and opening or switching workspaces."""
