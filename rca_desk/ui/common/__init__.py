"""Plain-text helpers and small widgets every part of the UI uses."""
