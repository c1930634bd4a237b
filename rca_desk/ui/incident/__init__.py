"""One incident's tab: the canvas beside the inspector, the form, and the actions panel."""
