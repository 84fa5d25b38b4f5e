"""Delphi studies, panels, rounds and ratings (see issue: consensus)."""
