"""The open incident as a document: its undo stack and every undoable change to it."""
