"""Voice-embedding and architecture analysis. Returns data objects; plotting is a separate layer."""
