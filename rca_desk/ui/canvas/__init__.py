"""The diagram canvas, split by concern.

- ``diagram_canvas``: the view (zoom, fit, pan, selection) observing the document.
- ``items``: the label and bone items, updated in place by node id.
- ``interactions``: keys, drag and drop and the in-place editor, turned into commands.
- ``nodes``: typed references (problem, cause, category, open question) parsed from the
  layout's label ids in one place.
"""
