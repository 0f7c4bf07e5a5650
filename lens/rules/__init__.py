"""The lens engine and its data model: plain Python, no Django import."""
