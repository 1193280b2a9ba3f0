"""APEC publication formatting and the APEC deliverables, as a first-party plugin."""
