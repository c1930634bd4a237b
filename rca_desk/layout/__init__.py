"""Pure geometry for the fishbone and five-whys views (no Qt); arrives with issue 3."""
