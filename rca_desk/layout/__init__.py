"""Pure geometry for the fishbone and five-whys views, from a graph and text metrics (no Qt)."""
