"""Coding runs: asking for one, the job that runs it, saving its results, recovering lost jobs, retention."""
