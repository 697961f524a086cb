"""The fact base: its model, how it is read from YAML, validated, cleaned and written back."""
