"""The Qt desktop app, in packages by what they do.

``document`` owns the open incident and every undoable change to it; ``canvas``,
``incident``, ``review`` and ``workspace`` are the widgets that show it and turn gestures
into document changes; ``common`` holds the plain-text helpers they share.
"""
