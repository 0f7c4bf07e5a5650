"""The local picture for the municipality's analist (issue 11): areas, aggregates and
disclosure control. Plain Python, no Django import; the Django layer builds on it."""
