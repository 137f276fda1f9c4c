"""Voice creation and fine-tuning, and the run-log schema they write."""
