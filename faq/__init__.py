"""The answering engine: FAQ entries and myths vs facts."""
