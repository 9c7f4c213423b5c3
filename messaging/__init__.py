"""The phrase checker, readability and document drafting."""
