"""Recording and replay (MCAP); see issue 5. No Qt."""
